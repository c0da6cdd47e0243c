using System.Collections.Concurrent;
using CsCheck;

namespace Complaints.Domain.Tests.Model;

/// <summary>
/// The model-based test: thousands of random valid histories of one complaint, made by the domain's own decisions, and
/// after every event the fold, the case details, the analytics row, the re-review queue and the integration events held
/// to a plainly written reference model (see <see cref="Agreement"/>). The histories come from a fixed seed, so every
/// run checks the same ones; a failing one is shrunk by CsCheck and reported step by step, with the seed that replays it.
/// COMPLAINTS_MODEL_ITERATIONS=n checks n histories instead (the same ones first); COMPLAINTS_MODEL_SEED=seed (or
/// CsCheck_Seed) replays one.
/// </summary>
public class ModelTests(ITestOutputHelper output)
{
    /// <summary>Where the default run's stream of histories starts.</summary>
    private const string RunSeed = "0000000000J1";

    private const int DefaultHistories = 4_000;

    /// <summary>How long CsCheck looks for a smaller failing history: it draws random ones and checks only those smaller.</summary>
    private const int ShrinkSeconds = 10;

    private static readonly Guid ComplaintId = new("6c1f3b1e-2f4a-4d7e-9a51-0c7d5b2e8f11");

    /// <summary>One choice: uniform for every pick a history makes (2 to 7 and 25 ways all divide 2100), and short to read.</summary>
    private static readonly Gen<int> AnyChoice = Gen.Int[0, 2099];

    /// <summary>A choice that never picks decline (command 2) or close, archive or erase (command 24).</summary>
    private static readonly Gen<int> LingeringChoice = AnyChoice.Where(c => c % 25 is not (2 or 24));

    /// <summary>
    /// The choices a history is made of. Half are uniform, as Histories weighs its commands; those are mostly declined,
    /// withdrawn or closed before a second re-review round. The other half linger: never declined or closed by hand, and
    /// a re-review rather than a withdrawal when command 23 comes up, so that they go round the follow-up, rectification
    /// and re-review loop up to the higher level.
    /// </summary>
    private static readonly Gen<int[]> Choices = Gen.OneOf(
        AnyChoice.Array[10, 300],
        LingeringChoice.Array[10, 800].Select(ReReviewRatherThanWithdraw));

    /// <summary>Command 23 re-reviews on an even next choice and withdraws on an odd one.</summary>
    private static int[] ReReviewRatherThanWithdraw(int[] choices) =>
        [.. choices.Select((choice, i) => i > 0 && choices[i - 1] % 25 == 23 ? choice & ~1 : choice)];

    [Fact]
    public void the_fold_details_analytics_row_re_review_queue_and_integration_events_agree_after_every_step()
    {
        var replay = ReplaySeed();
        var seeds = replay is null ? Seeds(HistoryCount()) : [replay];
        var seen = new ConcurrentDictionary<Type, int>();
        var failing = FirstFailing(seeds, seen);
        if (failing is not null)
        {
            try { Choices.Sample(CheckHistory, seed: failing, time: ShrinkSeconds, print: Story); }
            catch (CsCheckException e)
            {
                Assert.Fail($"""
                    The fold and what is read from it disagree.
                    {e.InnerException?.Message}
                    Shrunk by CsCheck to the history below; COMPLAINTS_MODEL_SEED (or CsCheck_Seed) set to its seed replays it.
                    {e.Message}
                    """);
            }
            Assert.Fail($"the history of seed {failing} failed, then passed when replayed: a check is not a pure function of the history");
        }

        output.WriteLine($"{seeds.Length:N0} histories from seed {seeds[0]} agree; events seen: "
            + string.Join(", ", seen.OrderBy(e => e.Key.Name).Select(e => $"{e.Key.Name} {e.Value:N0}")));
        // The checks mean little for events the histories never reach.
        if (replay is null)
            typeof(IComplaintEvent).Assembly.GetTypes().Where(t => t.IsClass && t.IsAssignableTo(typeof(IComplaintEvent)))
                .Except(seen.Keys).Select(t => t.Name).ShouldBeEmpty("events no generated history reached");
    }

    private static void CheckHistory(int[] choices) => Agreement.Check(Histories.Of(ComplaintId, 1, choices));

    /// <summary>The seed of each history of the run: the state of the one random stream before each is drawn.</summary>
    private static string[] Seeds(int count)
    {
        var random = PCG.Parse(RunSeed);
        var seeds = new string[count];
        for (var i = 0; i < count; i++)
        {
            seeds[i] = random.ToString(random.State);
            Choices.Generate(random, null!, out _);
        }
        return seeds;
    }

    /// <summary>The first history in run order that fails, so that a failing run names the same one every time; null when all pass.</summary>
    private static string? FirstFailing(string[] seeds, ConcurrentDictionary<Type, int> seen)
    {
        var run = Parallel.For(0, seeds.Length, (i, loop) =>
        {
            try
            {
                var history = Histories.Of(ComplaintId, 1, Choices.Generate(PCG.Parse(seeds[i]), null!, out _));
                foreach (var e in history.SelectMany(step => step.Events)) seen.AddOrUpdate(e.GetType(), 1, (_, n) => n + 1);
                Agreement.Check(history);
            }
            catch (Exception) { loop.Break(); }
        });
        return run.LowestBreakIteration is { } first ? seeds[first] : null;
    }

    /// <summary>
    /// A history as a person reads it, up to the step after which the checks failed: each step's time, action and
    /// arguments, and the events it recorded; then the choices it was made of.
    /// </summary>
    private static string Story(int[] choices)
    {
        var steps = Histories.Of(ComplaintId, 1, choices);
        var failedAt = FailingStep(steps) ?? steps.Count - 1;
        var lines = steps.Take(failedAt + 1).Select((step, i) =>
            $"  {i + 1,3}. {step.At:yyyy-MM-dd HH:mm} {step.Action} {Arguments(step.Command)} → {string.Join(", ", step.Events.Select(Name))}");
        if (failedAt + 1 < steps.Count) lines = lines.Append($"  ({steps.Count - failedAt - 1} more steps)");
        return string.Join(Environment.NewLine, lines.Append($"  choices: [{string.Join(", ", choices)}]"));
    }

    private static int? FailingStep(IReadOnlyList<Histories.Step> steps)
    {
        try { Agreement.Check(steps); }
        catch (Disagreement d) { return d.Step; }
        return null;
    }

    private static string Arguments(object? command) => command switch
    {
        ReceiveComplaint r => $"{{ Channel = {r.Channel}, Location = {r.Location}, Category = {r.Category} }}",
        ServicePromise promise => $"{{ Promise = {promise} }}",
        // A command prints as "ResolveComplaint { At = , Remedy = … }": keep the arguments; At is never given here.
        ComplaintCommand c => c.ToString()[c.ToString().IndexOf('{')..].Replace("At = , ", "").Replace("{ At =  }", ""),
        _ => "",
    };

    private static string Name(object e) => e switch
    {
        ServicePromiseMissed missed => $"ServicePromiseMissed({missed.Promise})",
        ComplaintClosed closed => $"ComplaintClosed({closed.Reason})",
        FollowUpRecorded followUp => $"FollowUpRecorded(round {followUp.Round})",
        ReReviewRequested request => $"ReReviewRequested(round {request.Round})",
        _ => e.GetType().Name,
    };

    private static int HistoryCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("COMPLAINTS_MODEL_ITERATIONS"), out var n) && n > 0 ? n : DefaultHistories;

    private static string? ReplaySeed() =>
        Environment.GetEnvironmentVariable("COMPLAINTS_MODEL_SEED") is { Length: > 0 } seed ? seed : Check.Seed;
}
