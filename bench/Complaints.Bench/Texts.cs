using System.Text;

namespace Complaints.Bench;

/// <summary>
/// Free text of realistic length for the commands' notes, descriptions and replies, so that event payloads land in the
/// 300–800 bytes of JSON that real cases carry rather than in toy sizes.
/// </summary>
public static class Texts
{
    private static readonly string[] Sentences =
    [
        "Water has been leaking through the bathroom ceiling every evening for the past two weeks.",
        "The complainant says the stain has spread to the bedroom wall and the plaster is now soft to the touch.",
        "Neighbours on the same floor report hearing the pump running through the night, well after eleven o'clock.",
        "The seedlings bought at the township market failed to germinate despite being sown as instructed on the packet.",
        "A receipt and three photographs of the damage were handed in at the counter together with the written complaint.",
        "The property office was called twice and promised a visit, but nobody came on either of the agreed days.",
        "The complainant asks for the pipe to be replaced and the ceiling repainted at the management company's expense.",
        "According to the handler the supply pipe in the flat above is cracked where it joins the riser.",
        "The fertiliser delivered in March was labelled as compound fertiliser but the analysis shows almost no potassium.",
        "The handler visited the site with the building manager and took moisture readings in four places.",
        "The complainant was told by phone that the repair is scheduled and the office will check the work afterwards.",
        "An inspector from the station sampled the remaining bags and sent them to the laboratory for testing.",
        "The company agreed to refund the price of the seed and to compensate for the lost planting season.",
        "The complainant is elderly and asked that any visit be arranged in the morning, when her son can be present.",
        "The noise comes from the ventilation unit on the roof of the shop next door, which runs until midnight.",
        "The department confirmed the case falls within its remit and will report back within ten working days.",
        "Photographs taken on the visit show water marks around the light fitting and a bulge in the ceiling board.",
        "The shop owner denies that the unit is loud, but the measurement taken at the window exceeds the night limit.",
        "The reply explains what was found, what has been done about it and how to contact the office again if needed.",
        "A follow-up call is planned for next week to confirm that the repair has held after heavy use.",
    ];

    /// <summary>Sentences chosen by the generator until the text is at least minLength long, capped at maxLength.</summary>
    public static string Make(Random rng, int minLength, int maxLength)
    {
        var target = rng.Next(minLength, maxLength + 1);
        var text = new StringBuilder(target + 120);
        while (text.Length < target)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(Sentences[rng.Next(Sentences.Length)]);
        }
        return text.Length > maxLength ? text.ToString(0, maxLength).TrimEnd() : text.ToString();
    }
}
