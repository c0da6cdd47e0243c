namespace Complaints.Domain.Tests.Model;

/// <summary>
/// Random valid histories of one complaint, made by the domain's own decisions: each step picks a command (and its
/// arguments) from a list of choices, the decision records it or refuses it, and time moves on by a chosen amount, so
/// that promises fall due and are missed as they would be. The history is a pure function of the choices, so a
/// property-based library can shrink a failing history by shrinking its choices.
/// </summary>
public static class Histories
{
    public static readonly DateTimeOffset Start = new(2019, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly ComplaintPolicies Policies = new()
    {
        Routing = new RoutingTable
        {
            DepartmentByCategory = new Dictionary<string, string> { ["Property maintenance"] = "Property Services", ["Seeds"] = "Seed Station" },
        },
        Promises = new ServicePromisePolicy
        {
            ByCategory = new Dictionary<string, ServicePromiseTerms>
            {
                ["Property maintenance"] = ServicePromiseTerms.Default with { FirstResponseWithin = TimeSpan.FromMinutes(3), ResolutionWithin = TimeSpan.FromDays(2) },
            },
        },
    };

    private static readonly string[] Categories = ["Property maintenance", "Seeds", "Noise"];
    private static readonly string[] Handlers = ["handler.one", "handler.two"];
    private static readonly TimeSpan[] Pauses =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(5), TimeSpan.FromDays(1), TimeSpan.FromDays(4)];

    /// <summary>One step: the action decided ("timer" for a promise's timer going off), when, and what it recorded.</summary>
    public sealed record Step(string Action, DateTimeOffset At, IReadOnlyList<object> Events)
    {
        /// <summary>What was decided, with its arguments, so that a counterexample reads as a story: the command, or the promise whose timer went off.</summary>
        public object? Command { get; init; }
    }

    /// <summary>The steps the choices make of one complaint, from its receipt; refused commands record nothing and are left out.</summary>
    public static IReadOnlyList<Step> Of(Guid id, int number, IReadOnlyList<int> choices)
    {
        var next = 0;
        int Pick(int count) => count <= 1 || choices.Count == 0 ? 0 : Math.Abs(choices[next++ % choices.Count] % count);

        var now = Start.AddHours(number % 10_000 * 7);
        var receive = new ReceiveComplaint((Channel)Pick(5), new Complainant($"Complainant {number}", $"555-01{number % 100:D2}", null, null),
            "The heating has not worked for a week.", Pick(2) == 0 ? "Block 3" : null, Pick(2) == 0 ? Categories[Pick(3)] : null);
        // Received with an access code over HTTP, or without one from the queue or an import.
        var received = receive.Decide(id, $"C-2019-{number:D6}", new CommandContext("intake.one", now, Policies), Pick(3) == 0 ? null : CodeHash(number));
        var steps = new List<Step> { new("receive", now, [received]) { Command = receive } };
        var state = Complaint.From(received);

        while (next < choices.Count && state.Status != ComplaintStatus.Archived)
        {
            now += Pauses[Pick(Pauses.Length)];
            var step = Timer(state, now) ?? (Pick(12) == 0
                // Now and then a step brought from another system, dated a while back: before the previous step, it is kept and noted.
                ? Decide(state, (Pick(10) < 8 ? Forward(state, now, Pick) : Command(state, now, Pick)) with { At = now - Pauses[Pick(Pauses.Length)] }, now, fromSource: true)
                : Decide(state, Pick(10) < 8 ? Forward(state, now, Pick) : Command(state, now, Pick), now));
            if (step is null) continue;
            steps.Add(step);
            state = step.Events.Aggregate(state, (s, e) => s.After(e));
        }
        return steps;
    }

    /// <summary>Now and then a promise's timer goes off on its due, as the service would.</summary>
    private static Step? Timer(Complaint state, DateTimeOffset now)
    {
        foreach (var promise in Enum.GetValues<ServicePromise>())
            if (state.DueOf(promise) is { } due && due <= now && ServicePromiseCheck.Decide(state, promise, due, now) is { Count: > 0 } events)
                return new("timer", now, events) { Command = promise };
        return null;
    }

    private static Step? Decide(Complaint state, ComplaintCommand command, DateTimeOffset now, bool fromSource = false)
    {
        try
        {
            return new(command.Action(), now, command.Decide(state, new CommandContext(Handlers[0], now, Policies, FromSource: fromSource))) { Command = command };
        }
        catch (ComplaintCommandRefused) { return null; }
        catch (ComplaintCommandInvalid) { return null; }
    }

    /// <summary>Mostly a command that moves the case on from where it stands, so that histories reach the later steps.</summary>
    private static ComplaintCommand Forward(Complaint state, DateTimeOffset now, Func<int, int> pick) => state.Status switch
    {
        ComplaintStatus.Received => pick(8) == 0 ? new DeclineComplaint("out of scope", "This is a matter for the courts.") : new AcceptComplaint(null),
        ComplaintStatus.Accepted => pick(6) switch
        {
            0 => new TriageComplaint(Categories[pick(3)], (Severity)pick(4), (Priority)pick(4)),
            1 => new ResolveComplaint(Remedy.Explanation, "explained at once", "Here is how it works."),
            _ => new AssignComplaint(Handlers[pick(2)], pick(2) == 0 ? null : "Township Station", pick(2) == 0 ? null : now.AddDays(3)),
        },
        ComplaintStatus.Assigned or ComplaintStatus.Investigating => pick(10) switch
        {
            0 or 1 or 2 => new RecordFirstResponse("on site"),
            3 => new RecordEvidence((EvidenceKind)pick(5), "photo of the boiler"),
            4 => new ReturnComplaint("not ours"),
            5 => new AssessMediation(pick(3) != 0, "both parties agree to mediate"),
            6 => new ExtendResolutionDue((state.DueAt ?? now).AddDays(2 + pick(3)), "waiting for parts"),
            _ => new ResolveComplaint(Remedy.Repair, "repaired the boiler", "The boiler works again."),
        },
        ComplaintStatus.InMediation => pick(4) switch
        {
            0 => new RecordMediationFailure((Referral)pick(2), "no agreement"),
            1 => new RecordSettlement("settled between them"),
            _ => new SignMediationAgreement("the landlord pays half"),
        },
        ComplaintStatus.Resolved => pick(8) switch
        {
            0 => new RecordComplainantNotReached("no answer"),
            1 => new CloseComplaint(state.ResolvedByAgreement ? CloseReason.AgreementPerformed : CloseReason.NoResponse, "closing"),
            2 => new RecordFollowUp(false, 2, false, "not fixed"),
            3 or 4 => new RecordFollowUp(false, 1 + pick(2), null, "still cold"),
            _ => new RecordFollowUp(true, 4 + pick(2)),
        },
        ComplaintStatus.AwaitingReReview => pick(6) == 0 ? new WithdrawComplaint("gave up") : new ReReviewComplaint("replace the boiler"),
        ComplaintStatus.EscalatedToHigherLevel => pick(3) == 0
            ? new RecordFindings(true, "the landlord is at fault")
            : new ResolveComplaint(Remedy.Compensation, "compensated", "We compensate you.", 300m),
        _ => pick(4) == 0 ? new ErasePersonalData("a lawful request") : new ArchiveComplaint(),
    };

    /// <summary>Stands for the SHA-256 of a code: 64 lower-case hex digits.</summary>
    private static string CodeHash(int n) => $"{n:x64}";

    private static ComplaintCommand Command(Complaint state, DateTimeOffset now, Func<int, int> pick) => pick(25) switch
    {
        0 or 1 => new AcceptComplaint("meets the criteria"),
        2 => new DeclineComplaint("out of scope", "This is a matter for the courts."),
        3 => new TriageComplaint(Categories[pick(3)], (Severity)pick(4), (Priority)pick(4)),
        4 or 5 => new AssignComplaint(Handlers[pick(2)], pick(2) == 0 ? null : "Township Station", pick(2) == 0 ? null : now.AddDays(3)),
        6 => new ReturnComplaint("not ours"),
        7 or 8 => new RecordFirstResponse("on site"),
        9 => new RecordEvidence((EvidenceKind)pick(5), "photo of the boiler", pick(2) == 0 ? "neighbour" : null),
        10 => new RecordFindings(pick(2) == 0, "the boiler is broken"),
        11 => new EscalateComplaint("hard case", pick(2) == 0 ? "director" : null),
        12 => new GiveExpectedDate(now.AddDays(1 + pick(5)), "parts on order"),
        13 => new ExtendResolutionDue((state.DueAt ?? now).AddDays(2 + pick(3)), "waiting for parts"),
        14 => pick(3) == 0 ? new IssueAccessCode(CodeHash(pick(1_000))) : new UrgeComplaint("please hurry"),
        15 or 16 => pick(3) switch
        {
            0 => new ResolveComplaint(Remedy.Refund, "refunded the fee", "We refunded your fee.", 120m),
            1 => new ResolveComplaint(Remedy.Repair, "repaired the boiler", "The boiler works again."),
            _ => new ResolveComplaint((Remedy)pick(7), "explained", "Here is what we did.", 10m),
        },
        17 => new AssessMediation(pick(3) != 0, "both parties agree to mediate"),
        18 => new SignMediationAgreement("the landlord pays half", pick(2) == 0 ? null : 3),
        19 => new RecordMediationFailure((Referral)pick(2), "no agreement"),
        20 => new RecordSettlement("settled between them"),
        21 or 22 => pick(4) == 0
            ? new RecordComplainantNotReached("no answer")
            : new RecordFollowUp(pick(2) == 0, 1 + pick(5), pick(4) == 0 ? false : null, pick(2) == 0 ? "still cold" : null),
        23 => pick(2) == 0 ? new ReReviewComplaint("replace the boiler") : new WithdrawComplaint("sorted it myself"),
        _ => pick(3) switch
        {
            0 => new CloseComplaint((CloseReason)pick(6), "closing"),
            1 => new ArchiveComplaint(),
            _ => new ErasePersonalData("a lawful request"),
        },
    };
}
