using Complaints.Domain;

namespace Complaints.Api.Importing;

/// <summary>
/// A realistic population of complaints over the last six months, for a newcomer to see the case list and the
/// analytics filled at once. Everything comes from the seed and the day it is made: the same seed on the same day
/// gives the same population. Each complaint runs through the same decisions as the API: received by phone, online,
/// email, letter or in person; categories and departments from the routing table; most accepted, triaged, assigned,
/// investigated and resolved, some late; followed up, some unsatisfied and re-reviewed once or twice, a few escalated
/// to a higher level; some escalated to management, mediated, returned and reassigned, declined or withdrawn; the
/// recent ones still open wherever their next step would lie in the future. Its source id is "{seed}-{n}", so seeding
/// again adds nothing that is there already.
/// </summary>
public static class DemoPopulation
{
    public const string Source = "demo";
    public static readonly TimeSpan Span = TimeSpan.FromDays(182);

    private static readonly string[] Surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao"];
    private static readonly string[] GivenNames = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hua", "Ping", "Qiang", "Li", "Na", "Tao", "Xia", "Gang", "Hong"];
    private static readonly string[] Places = ["Riverside Gardens", "Dongshan Township", "Xinhua Road", "Orchard Village", "Market Street", "Hillside Estate", "Beiguan Township", "Lakeview Court"];
    private static readonly string[] FallbackCategories = ["Property maintenance", "Noise", "Product quality"];
    private static readonly (Channel Channel, int Weight)[] Channels =
        [(Channel.Phone, 40), (Channel.Online, 25), (Channel.WalkIn, 15), (Channel.Email, 10), (Channel.Letter, 10)];

    public static IEnumerable<ImportRow> Rows(int complaints, int seed, DateTimeOffset now, ComplaintPolicies policies)
    {
        var random = new Random(seed);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var start = today - Span;
        var categories = policies.Routing.DepartmentByCategory.Keys.Order(StringComparer.Ordinal).ToArray();
        if (categories.Length == 0) categories = FallbackCategories;
        var people = Math.Max(1, complaints * 3 / 4); // a quarter of the complaints come from people who complained before
        for (var n = 0; n < complaints; n++)
        {
            // Each complaint draws from a generator of its own, so that changing one scenario leaves the others as they were.
            var rng = new Random(random.Next());
            var receivedAt = start + TimeSpan.FromMinutes(rng.Next((int)Span.TotalMinutes));
            yield return new ImportRow(n + 1, Complaint($"{seed}-{n}", rng, receivedAt, now, categories, policies, rng.Next(people)), null);
        }
    }

    private static SourceComplaint Complaint(string id, Random rng, DateTimeOffset receivedAt, DateTimeOffset now, string[] categories,
        ComplaintPolicies policies, int person)
    {
        var category = categories[rng.Next(categories.Length)];
        var place = Places[rng.Next(Places.Length)];
        var name = $"{Surnames[person % Surnames.Length]} {GivenNames[person / Surnames.Length % GivenNames.Length]}";
        var receive = new ReceiveComplaint(
            Pick(rng, Channels),
            new Complainant(name, $"139{person * 7919 % 100_000_000:D8}", null, $"{place}, Unit {100 + person % 900}"),
            $"{category}: {Problem(rng)} at {place}.",
            Location: place,
            Category: category,
            RemedySought: rng.Next(3) == 0 ? "Compensation for the loss" : "Put it right",
            ReceivedAt: receivedAt);

        var steps = new Steps(receivedAt, now);
        Lifecycle(steps, rng, category, categories, policies);
        return new SourceComplaint(id, receive, steps.Taken.Select(step => (SourceStep)step).ToList());
    }

    /// <summary>One case's steps. Stops at the first step that would lie in the future: the case stays open there.</summary>
    private static void Lifecycle(Steps s, Random rng, string category, string[] categories, ComplaintPolicies policies)
    {
        var roll = rng.NextDouble();
        if (roll < 0.07)
        {
            s.Add(Hours(rng, 1, 8), new DeclineComplaint("outside the office's remit", "This is a private contract dispute; please contact the court's mediation service."));
            return;
        }
        if (!s.Add(Hours(rng, 0.5, 4), new AcceptComplaint("meets the criteria"))) return;
        if (!s.Add(TimeSpan.Zero, new TriageComplaint(category, Pick(rng, [(Severity.Low, 3), (Severity.Medium, 5), (Severity.High, 2), (Severity.Critical, 1)]),
                Pick(rng, [(Priority.Low, 2), (Priority.Normal, 6), (Priority.High, 2), (Priority.Urgent, 1)])))) return;

        if (roll < 0.16)
        {
            // Solved at first contact, without assignment.
            if (!s.Add(Hours(rng, 0.5, 3), Resolve(rng))) return;
            FollowUps(s, rng, policies);
            return;
        }
        if (roll < 0.22 && Mediation(s, rng, policies)) return;
        if (roll is >= 0.22 and < 0.26)
        {
            s.Add(Hours(rng, 2, 72), new WithdrawComplaint("the complainant settled it with the other party"));
            return;
        }

        var due = Hours(rng, 72, 240);
        var wait = Hours(rng, 1, 24);
        if (!s.Add(wait, new AssignComplaint(Handler(rng), DueAt: s.Next(wait) + due))) return;
        if (rng.NextDouble() < 0.06)
        {
            if (!s.Add(Hours(rng, 2, 12), new ReturnComplaint("not this department's matter"))) return;
            var other = categories[rng.Next(categories.Length)];
            wait = Hours(rng, 1, 8);
            if (!s.Add(wait, new AssignComplaint(Handler(rng), policies.Routing.DepartmentFor(other) ?? "General Office", s.Next(wait) + due))) return;
        }
        if (rng.NextDouble() < 0.9 && !s.Add(Hours(rng, 0.5, 12), new RecordFirstResponse("on site"))) return;
        if (rng.NextDouble() < 0.5 && !s.Add(Hours(rng, 1, 24), new RecordEvidence(EvidenceKind.Photo, "photos of the site", "complainant"))) return;
        if (rng.NextDouble() < 0.5 && !s.Add(Hours(rng, 1, 48), new RecordFindings(rng.NextDouble() < 0.7, "findings of the site visit"))) return;
        if (rng.NextDouble() < 0.10)
        {
            if (!s.Add(Hours(rng, 1, 24), new EscalateComplaint("repeated and serious", "bureau director"))) return;
            wait = Hours(rng, 1, 12);
            if (!s.Add(wait, new GiveExpectedDate(s.Next(wait) + Hours(rng, 120, 360), "needs a contractor"))) return;
            wait = Hours(rng, 24, 72);
            if (rng.NextDouble() < 0.5 && !s.Add(wait, new ExtendResolutionDue(s.Next(wait) + Hours(rng, 240, 480), "waiting for parts"))) return;
        }
        if (rng.NextDouble() < 0.04)
        {
            s.Add(Hours(rng, 24, 120), new WithdrawComplaint("no longer needed"));
            return;
        }
        // Most are resolved within the due date; a fifth take longer.
        if (!s.Add(rng.NextDouble() < 0.8 ? Hours(rng, 12, 60) : Hours(rng, 250, 400), Resolve(rng))) return;
        FollowUps(s, rng, policies);
    }

    /// <summary>The mediation path; false when the case was not eligible and goes on the ordinary way.</summary>
    private static bool Mediation(Steps s, Random rng, ComplaintPolicies policies)
    {
        var eligible = rng.NextDouble() < 0.8;
        if (!s.Add(Hours(rng, 4, 48), new AssessMediation(eligible, eligible ? "a dispute between two parties" : "a matter for the regulator"))) return true;
        if (!eligible) return false;
        var outcome = rng.NextDouble();
        if (outcome < 0.55)
        {
            if (!s.Add(Hours(rng, 72, 240), new SignMediationAgreement("the seller replaces the goods and pays the transport", 3))) return true;
            if (rng.NextDouble() < 0.7) s.Add(Hours(rng, 120, 360), new CloseComplaint(CloseReason.AgreementPerformed, "performance supervised"));
        }
        else if (outcome < 0.8) s.Add(Hours(rng, 72, 240), new RecordMediationFailure(rng.NextDouble() < 0.6 ? Referral.Litigation : Referral.Arbitration, "the parties could not agree"));
        else if (s.Add(Hours(rng, 24, 120), new RecordSettlement("the parties settled between themselves")))
            FollowUps(s, rng, policies);
        return true;
    }

    /// <summary>The follow-up 3 to 5 days after each resolution; unsatisfied complainants get re-reviews until the rounds run out.</summary>
    private static void FollowUps(Steps s, Random rng, ComplaintPolicies policies)
    {
        var maxRounds = policies.ReReview.MaxRounds;
        if (rng.NextDouble() < 0.04)
        {
            s.Add(Hours(rng, 168, 240), new CloseComplaint(CloseReason.NoResponse, "three calls unanswered"));
            return;
        }
        for (var round = 0; ; round++)
        {
            var satisfied = rng.NextDouble() < (round == 0 ? 0.72 : 0.6);
            var score = satisfied ? rng.Next(4, 6) : rng.Next(1, 3);
            if (!s.Add(Hours(rng, 72, 120), new RecordFollowUp(satisfied, score, true, satisfied ? null : "the problem came back"))) return;
            if (satisfied)
            {
                if (rng.NextDouble() < 0.3) s.Add(Hours(rng, 168, 480), new ArchiveComplaint());
                return;
            }
            if (round >= maxRounds) return; // escalated to a higher level by the follow-up itself
            // Some wait weeks for a reviewer, so that the reviewers' queue holds the recent ones.
            var wait = rng.NextDouble() < 0.2 ? Hours(rng, 24 * 7, 24 * 40) : Hours(rng, 12, 72);
            if (!s.Add(wait, new ReReviewComplaint("revise the plan with the complainant", $"reviewer.{Surname(rng)}"))) return;
            if (!s.Add(Hours(rng, 24, 144), Resolve(rng))) return;
        }
    }

    private static ComplaintCommand Resolve(Random rng) => Pick(rng,
    [
        ((ComplaintCommand)new ResolveComplaint(Remedy.Repair, "repaired on site", "We have repaired it."), 5),
        (new ResolveComplaint(Remedy.Explanation, "explained the rules and the findings", "We have explained our findings."), 4),
        (new ResolveComplaint(Remedy.Apology, "the other party apologised", "The other party has apologised."), 2),
        (new ResolveComplaint(Remedy.Refund, "the seller refunded the price", "You have been refunded.", rng.Next(50, 2000)), 2),
        (new ResolveComplaint(Remedy.Compensation, "compensation for the loss", "You have been compensated.", rng.Next(100, 5000)), 1),
        (new ResolveComplaint(Remedy.Exchange, "the goods were exchanged", "The goods have been exchanged."), 1),
    ]);

    private static string Problem(Random rng) => Pick(rng,
    [
        ("the problem keeps coming back after two earlier calls", 1),
        ("nobody has answered the last letter", 1),
        ("the damage is getting worse every week", 1),
        ("the seller refuses to take responsibility", 1),
        ("the work promised last month was never done", 1),
    ]);

    private static string Surname(Random rng) => Surnames[rng.Next(Surnames.Length)].ToLowerInvariant();

    private static string Handler(Random rng) => $"handler.{Surname(rng)}";

    private static TimeSpan Hours(Random rng, double min, double max) => TimeSpan.FromMinutes(Math.Round((min + rng.NextDouble() * (max - min)) * 60));

    private static T Pick<T>(Random rng, (T Item, int Weight)[] choices)
    {
        var roll = rng.Next(choices.Sum(c => c.Weight));
        foreach (var (item, weight) in choices)
            if ((roll -= weight) < 0) return item;
        return choices[^1].Item;
    }

    /// <summary>The steps taken so far, each after the previous one, none in the future.</summary>
    private sealed class Steps(DateTimeOffset receivedAt, DateTimeOffset now)
    {
        private DateTimeOffset _last = receivedAt;
        public List<ComplaintCommand> Taken { get; } = [];

        /// <summary>When a step that follows the previous one after this wait would happen.</summary>
        public DateTimeOffset Next(TimeSpan after) => _last + after;

        public bool Add(TimeSpan after, ComplaintCommand step)
        {
            var at = _last + after;
            if (at > now) return false;
            Taken.Add(step with { At = at });
            _last = at;
            return true;
        }
    }
}
