using System.Collections.Concurrent;
using Complaints.Domain;

namespace Complaints.Bench;

/// <summary>The next step a complaint of the workload waits for.</summary>
public enum Stage { Accept, Triage, Assign, FirstResponse, Evidence, Resolve, FollowUp, ReReview, Done }

/// <summary>A complaint the workload drives through its life, one command at a time.</summary>
public sealed class LiveComplaint(Guid id, Stage next, bool unsatisfiedFirst, int round, string? category)
{
    public Guid Id { get; } = id;
    public Stage Next { get; set; } = next;

    /// <summary>Unsatisfied at its first follow-up: it loops through a re-review (15 % of cases).</summary>
    public bool UnsatisfiedFirst { get; } = unsatisfiedFirst;

    public int Round { get; set; } = round;
    public string? Category { get; } = category;
}

/// <summary>A complaint that 5 % of the commands aim at, so that writers meet on one stream.</summary>
public sealed class HotComplaint(Guid id, long version)
{
    public Guid Id { get; } = id;
    private long _version = version;
    public long Version => Interlocked.Read(ref _version);

    public void Saw(long version)
    {
        for (var known = Version; version > known; known = Version)
            if (Interlocked.CompareExchange(ref _version, version, known) == known) return;
    }
}

public enum CommandKind { Receive, Step, Hot }

/// <summary>One command as planned: its route's action, its body (a domain command) and, for some hot ones, If-Match.</summary>
public sealed record PlannedCommand(CommandKind Kind, string Action, object Body, LiveComplaint? Complaint = null, HotComplaint? Hot = null,
    long? ExpectedVersion = null)
{
    public Guid? Id => Complaint?.Id ?? Hot?.Id;
}

public enum Outcome { Ok, Conflict, Failed }

/// <summary>
/// The command mix of the issue: complaints received and taken through accepted, triaged, assigned, first response,
/// evidence, resolved and followed up (satisfied closes; 15 % unsatisfied at the first follow-up loop through a
/// re-review, a second resolution and a second follow-up); 5 % of commands aimed at a few hot complaints. A complaint
/// has at most one command in flight, so that every command is valid for the state it meets; the hot complaints take
/// evidence, half of it with If-Match on the last version seen, so that optimistic conflicts happen as well as lock
/// waits. Shared by the Marten-direct and HTTP steps of a run: both move the same complaints on.
/// </summary>
public sealed class Workload(ComplaintPolicies policies)
{
    public const double HotShare = 0.05;
    public const double UnsatisfiedShare = 0.15;

    /// <summary>Commands per complaint without the loop: receive, accept, triage, assign, first response, evidence, resolve, follow-up.</summary>
    public const int CommandsPerComplaint = 8;

    private readonly ConcurrentQueue<LiveComplaint> _ready = new();
    private HotComplaint[] _hot = [];
    private long _refused;

    public ComplaintPolicies Policies { get; } = policies;
    public string[] Categories { get; } = policies.Routing.DepartmentByCategory.Keys.Order(StringComparer.Ordinal).DefaultIfEmpty("Noise").ToArray();
    public int Ready => _ready.Count;
    public long Refused => Interlocked.Read(ref _refused);
    public IReadOnlyList<HotComplaint> Hot => _hot;

    public void AddReady(LiveComplaint complaint) => _ready.Enqueue(complaint);
    public void SetHot(IEnumerable<HotComplaint> hot) => _hot = hot.ToArray();

    public PlannedCommand Next()
    {
        var rng = Random.Shared;
        var roll = rng.NextDouble();
        if (_hot.Length > 0 && roll < HotShare)
        {
            var hot = _hot[rng.Next(_hot.Length)];
            return new PlannedCommand(CommandKind.Hot, "evidence", Evidence(rng), Hot: hot,
                ExpectedVersion: rng.Next(2) == 0 ? hot.Version : null);
        }
        if (roll < HotShare + (1 - HotShare) / CommandsPerComplaint || !_ready.TryDequeue(out var complaint))
            return new PlannedCommand(CommandKind.Receive, "receive", Receive(rng, Categories[rng.Next(Categories.Length)], null));
        return StepFor(complaint, rng);
    }

    /// <summary>Moves the complaint on after its command; a refused one leaves the workload (it should not happen).</summary>
    public void Completed(PlannedCommand command, Outcome outcome, Guid? createdId = null, long? version = null)
    {
        switch (command.Kind)
        {
            case CommandKind.Receive when outcome == Outcome.Ok && createdId is { } id:
                _ready.Enqueue(new LiveComplaint(id, Stage.Accept, Random.Shared.NextDouble() < UnsatisfiedShare, 0,
                    ((ReceiveComplaint)command.Body).Category));
                break;
            case CommandKind.Step when outcome == Outcome.Ok:
                var c = command.Complaint!;
                c.Next = After(c);
                if (c.Next != Stage.Done) _ready.Enqueue(c);
                break;
            case CommandKind.Step:
                // The complaint is dropped, not retried: a refused step means our picture of it is wrong.
                Interlocked.Increment(ref _refused);
                break;
            case CommandKind.Hot when version is { } v:
                command.Hot!.Saw(v);
                break;
        }
    }

    public static Stage After(LiveComplaint c) => c.Next switch
    {
        Stage.Accept => Stage.Triage,
        Stage.Triage => Stage.Assign,
        Stage.Assign => Stage.FirstResponse,
        Stage.FirstResponse => Stage.Evidence,
        Stage.Evidence => Stage.Resolve,
        Stage.Resolve => Stage.FollowUp,
        Stage.FollowUp when c.Round == 0 && c.UnsatisfiedFirst => Stage.ReReview,
        Stage.FollowUp => Stage.Done,
        Stage.ReReview => Bump(c),
        _ => Stage.Done,
    };

    private static Stage Bump(LiveComplaint c)
    {
        c.Round++;
        return Stage.Resolve;
    }

    /// <summary>
    /// One complaint through every step, the re-review loop included, and a hot command with and without If-Match:
    /// each endpoint's first call (code generation, JIT, query plans) happens before anything is measured.
    /// </summary>
    public async Task WarmUp(Func<PlannedCommand, Task<(Outcome Outcome, Guid? Id, long? Version)>> execute)
    {
        var rng = new Random(1);
        var (received, id, _) = await execute(new PlannedCommand(CommandKind.Receive, "receive", Receive(rng, Categories[0], null)));
        if (received != Outcome.Ok || id is null) throw new InvalidOperationException("warm-up: receiving a complaint failed");
        var complaint = new LiveComplaint(id.Value, Stage.Accept, unsatisfiedFirst: true, 0, Categories[0]);
        while (complaint.Next != Stage.Done)
        {
            var step = StepFor(complaint, rng);
            var (outcome, _, _) = await execute(step);
            if (outcome != Outcome.Ok) throw new InvalidOperationException($"warm-up: {step.Action} failed");
            complaint.Next = After(complaint);
        }
        foreach (var hot in _hot.Take(1))
        {
            foreach (var expected in new long?[] { null, hot.Version })
            {
                var (_, _, version) = await execute(new PlannedCommand(CommandKind.Hot, "evidence", Evidence(rng), Hot: hot, ExpectedVersion: expected));
                if (version is { } v) hot.Saw(v);
            }
        }
    }

    public PlannedCommand StepFor(LiveComplaint c, Random rng)
    {
        var (action, body) = Command(c.Next, rng, c.Category ?? Categories[0], satisfied: c.Round > 0 || !c.UnsatisfiedFirst, at: null);
        return new PlannedCommand(CommandKind.Step, action, body, Complaint: c);
    }

    /// <summary>The route's action and the body of a lifecycle step, dated at (null: now).</summary>
    public static (string Action, ComplaintCommand Body) Command(Stage stage, Random rng, string category, bool satisfied, DateTimeOffset? at) =>
        stage switch
        {
            Stage.Accept => ("accept", new AcceptComplaint(Texts.Make(rng, 220, 560)) { At = at }),
            Stage.Triage => ("triage", new TriageComplaint(category, (Severity)rng.Next(4), (Priority)rng.Next(4)) { At = at }),
            Stage.Assign => ("assign", new AssignComplaint($"handler.{rng.Next(40):D2}", null,
                (at ?? DateTimeOffset.UtcNow).AddDays(rng.Next(5, 16))) { At = at }),
            Stage.FirstResponse => ("first-response", new RecordFirstResponse(Texts.Make(rng, 220, 600)) { At = at }),
            Stage.Evidence => ("evidence", Evidence(rng) with { At = at }),
            Stage.Resolve => ("resolve", Resolve(rng) with { At = at }),
            Stage.FollowUp => ("follow-up", new RecordFollowUp(satisfied, satisfied ? rng.Next(4, 6) : rng.Next(1, 3), true,
                Texts.Make(rng, 150, 420)) { At = at }),
            Stage.ReReview => ("re-review", new ReReviewComplaint(Texts.Make(rng, 220, 560), $"reviewer.{rng.Next(6)}") { At = at }),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
        };

    public static RecordEvidence Evidence(Random rng) =>
        new((EvidenceKind)rng.Next(5), Texts.Make(rng, 200, 560), rng.Next(2) == 0 ? "complainant" : "respondent");

    private static ResolveComplaint Resolve(Random rng)
    {
        var remedy = (Remedy)rng.Next(7);
        return new ResolveComplaint(remedy, Texts.Make(rng, 120, 300), Texts.Make(rng, 120, 300),
            remedy is Remedy.Refund or Remedy.Compensation ? rng.Next(50, 5000) : null);
    }

    private static readonly string[] Surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"];
    private static readonly string[] GivenNames = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hua", "Ping", "Qiang"];
    private static readonly string[] Places = ["Riverside Gardens", "Dongshan Township", "Xinhua Road", "Orchard Village", "Market Street", "Hillside Estate"];

    public static ReceiveComplaint Receive(Random rng, string category, DateTimeOffset? receivedAt)
    {
        var place = Places[rng.Next(Places.Length)];
        var person = rng.Next(1_000_000);
        return new ReceiveComplaint(
            (Channel)rng.Next(5),
            new Complainant($"{Surnames[person % Surnames.Length]} {GivenNames[person / 7 % GivenNames.Length]}",
                $"139{person:D8}", rng.Next(3) == 0 ? $"c{person}@example.cn" : null, $"{place}, Block {1 + person % 30}, Unit {100 + person % 900}"),
            Texts.Make(rng, 200, 480),
            Location: $"{place}, Block {1 + person % 30}",
            Category: category,
            RemedySought: rng.Next(3) == 0 ? "Compensation for the loss and a written apology" : "Put it right and tell me when it is done",
            ReceivedAt: receivedAt);
    }
}
