using Alba;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// The people of an ordinary case, each with the one role the role table gives their work, and the steps that bring
/// a new case to a state: the intake agent receives it, the dispatcher accepts and assigns it to the handler (to the
/// Property Maintenance department), who responds and resolves; the steps are dated an hour or a day apart from
/// <see cref="ComplaintsApi.Start"/>.
/// </summary>
public sealed class Staff(IAlbaHost host, string handler = "handler.li")
{
    public const string Department = "Property Maintenance";

    public ComplaintsApi Intake { get; } = new(host, "intake.amy");
    public ComplaintsApi Dispatcher { get; } = new(host, "dispatcher.chen");
    public ComplaintsApi Handler { get; } = new(host, handler);
    public ComplaintsApi Reviewer { get; } = new(host, "reviewer.zhao");
    public ComplaintsApi Manager { get; } = new(host, "manager.wang");
    public ComplaintsApi Mediator { get; } = new(host, "mediator.sun");
    public ComplaintsApi Auditor { get; } = new(host, "auditor.zhou");

    public Task<Guid> Received(object? complaint = null) => Intake.ReceiveId(complaint);

    public async Task<Guid> Accepted(object? complaint = null)
    {
        var id = await Received(complaint);
        await Dispatcher.Do(id, "accept", new { at = At(1) });
        return id;
    }

    /// <summary>Assigned to the handler, due in three days.</summary>
    public async Task<Guid> Assigned(object? complaint = null)
    {
        var id = await Accepted(complaint);
        await Dispatcher.Do(id, "assign", new { department = Department, handler = Handler.User, dueAt = At(72), at = At(2) });
        return id;
    }

    /// <summary>The handler has made the first response.</summary>
    public async Task<Guid> Investigating(object? complaint = null)
    {
        var id = await Assigned(complaint);
        await Handler.Do(id, "first-response", new { note = "on site", at = At(3) });
        return id;
    }

    /// <summary>The handler reported the case to management.</summary>
    public async Task<Guid> Escalated(object? complaint = null)
    {
        var id = await Investigating(complaint);
        await Handler.Do(id, "escalate", new { reason = "the pipe runs through a load-bearing wall", at = At(4) });
        return id;
    }

    public async Task<Guid> Resolved(object? complaint = null)
    {
        var id = await Investigating(complaint);
        await Handler.Do(id, "resolve", new { remedy = "Repair", description = "joint resealed", reply = "We resealed the joint.", at = At(24) });
        return id;
    }

    /// <summary>Resolved, and the complainant was not satisfied: the first round of re-review waits.</summary>
    public async Task<Guid> AwaitingReReview(object? complaint = null)
    {
        var id = await Resolved(complaint);
        await Dispatcher.Do(id, "follow-up", new { satisfied = false, score = 2, comment = "still drips", at = At(96) });
        return id;
    }

    /// <summary>Closed satisfied at the follow-up.</summary>
    public async Task<Guid> Closed(object? complaint = null)
    {
        var id = await Resolved(complaint);
        await Dispatcher.Do(id, "follow-up", new { satisfied = true, score = 5, at = At(96) });
        return id;
    }

    /// <summary>Assigned, then found eligible for mediation.</summary>
    public async Task<Guid> InMediation(object? complaint = null)
    {
        var id = await Assigned(complaint);
        await Mediator.Do(id, "mediation", new { eligible = true, reason = "a civil dispute between neighbours", at = At(3) });
        return id;
    }
}
