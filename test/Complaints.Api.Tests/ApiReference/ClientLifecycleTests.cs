using System.Text.Json;
using Complaints.Api.Tests.Support;
using Complaints.Client;
using Shouldly;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>
/// A complaint's whole life driven through the generated client (src/Complaints.Client), as another service would drive
/// it: each person with a token of their own, the re-review loop, mediation, a retried request, a stale If-Match and a
/// refusal, each error arriving as the problem details the document promises. Every exchange passes a check against the
/// document on its way, as through a validating proxy.
/// </summary>
public sealed class ClientLifecycleTests(ApiFixture fixture) : IAsyncLifetime
{
    private DocumentConformance _conformance = null!;

    public async ValueTask InitializeAsync() =>
        _conformance = new DocumentConformance(await NSwag.OpenApiDocument.FromJsonAsync(await LiveDocument.Text(fixture.Host)))
        {
            InnerHandler = fixture.Host.Server.CreateHandler(),
        };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The story's days pass in minutes, ending before now: its people date their steps as they enter them (at most 15
    /// minutes back), so an hour of the story is three seconds here.
    /// </summary>
    private readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-12);

    private DateTimeOffset At(double hours) => Start.AddSeconds(hours * 3);

    /// <summary>This test's own category, so that the case list filtered by it shows this complaint alone.</summary>
    private static readonly string Category = $"Water leaks {Guid.NewGuid():N}";

    private static string ETag(ComplaintDetails details) => $"\"{details.Version}\"";

    /// <summary>A client for one person, sending their token with every request.</summary>
    private ComplaintsClient As(string user, string role) =>
        Client(new BearerTokenHandler(fixture.Token(user, role)) { InnerHandler = _conformance });

    /// <summary>A client without a token, as the complainant looking up their complaint (the test host would lend it one).</summary>
    private ComplaintsClient Anonymous()
    {
        var client = new HttpClient(_conformance, disposeHandler: false) { BaseAddress = new Uri("http://localhost/") };
        client.DefaultRequestHeaders.Add(ApiFixture.AnonymousHeader, "true");
        return new ComplaintsClient(client);
    }

    private static ComplaintsClient Client(HttpMessageHandler handler) =>
        new(new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("http://localhost/") });

    [Fact]
    public async Task a_complaint_lives_its_whole_life_through_the_generated_client()
    {
        var intake = As("intake.amy", "intake");
        var dispatcher = As("dispatcher.chen", "dispatcher");
        var handler = As("handler.li", "handler");
        var reviewer = As("reviewer.wang", "reviewer");
        var mediator = As("mediator.xu", "mediator");
        var auditor = As("auditor.zhou", "auditor");

        var received = await intake.ReceiveComplaintAsync(new ReceiveComplaint
        {
            Channel = Channel.Phone,
            Complainant = new ComplainantAtIntake { Name = "Zhang Wei", Phone = "13800138000" },
            Description = "Water leaks from the bathroom ceiling whenever the flat above runs a bath.",
            Location = "Riverside Gardens, Block 3",
            ReceivedAt = Start,
        });
        received.Version.ShouldBe(1);
        var id = received.Id;

        var accepted = await dispatcher.AcceptComplaintAsync(id, new AcceptComplaint { At = At(1) });
        accepted.Status.ShouldBe(ComplaintStatus.Accepted);
        var triaged = await dispatcher.TriageComplaintAsync(id,
            new TriageComplaint { Category = Category, Severity = Severity.Medium, Priority = Priority.High, At = At(2) },
            ifMatch: ETag(accepted));
        (triaged.Severity, triaged.Priority, triaged.CloseReason).ShouldBe((Severity.Medium, Priority.High, null));

        // A stale If-Match: the triage moved the case on, so the version the dispatcher read first is no longer current.
        var stale = await Should.ThrowAsync<ApiException<ProblemDetails>>(() => dispatcher.AssignComplaintAsync(id,
            new AssignComplaint { Handler = "handler.li", Department = "Property Maintenance", At = At(3) }, ifMatch: ETag(accepted)));
        stale.StatusCode.ShouldBe(412);
        ((JsonElement)stale.Result.AdditionalProperties["currentVersion"]).GetInt64().ShouldBe(triaged.Version);
        var assigned = await dispatcher.AssignComplaintAsync(id, new AssignComplaint { Handler = "handler.li", Department = "Property Maintenance", At = At(3) }, ifMatch: ETag(triaged));
        assigned.Status.ShouldBe(ComplaintStatus.Assigned);

        // A retried request: the same Idempotency-Key gets the first answer again and records nothing.
        var responded = await handler.RecordFirstResponseAsync(id, new RecordFirstResponse { Note = "on site", At = At(4) }, idempotencyKey: "visit-1");
        var retried = await handler.RecordFirstResponseAsync(id, new RecordFirstResponse { Note = "on site", At = At(4) }, idempotencyKey: "visit-1");
        retried.Version.ShouldBe(responded.Version);
        (await handler.GetComplaintAsync(id)).Version.ShouldBe(responded.Version);
        var reused = await Should.ThrowAsync<ApiException<ProblemDetails>>(() =>
            handler.RecordEvidenceAsync(id, new RecordEvidence { Kind = EvidenceKind.Photo, Description = "stained ceiling" }, idempotencyKey: "visit-1"));
        reused.StatusCode.ShouldBe(422);

        await handler.ResolveComplaintAsync(id, new ResolveComplaint
        {
            Remedy = Remedy.Repair, Description = "pipe joint resealed", Reply = "We resealed the pipe joint.", At = At(24),
        });

        // The re-review loop: not satisfied, the case waits in the reviewers' queue until a reviewer revises the plan.
        var unsatisfied = await dispatcher.RecordFollowUpAsync(id, new RecordFollowUp { Satisfied = false, Score = 2, Comment = "still drips", At = At(96) });
        unsatisfied.Status.ShouldBe(ComplaintStatus.AwaitingReReview);
        (await reviewer.GetReReviewQueueAsync()).ShouldContain(entry => entry.Id == id && entry.Round == 1 && entry.LastScore == 2);
        (await dispatcher.ListComplaintsAsync(status: ComplaintStatus.AwaitingReReview, category: Category, channel: Channel.Phone))
            .Items.ShouldContain(summary => summary.Id == id);
        var reReviewed = await reviewer.ReReviewComplaintAsync(id, new ReReviewComplaint { RevisedPlan = "mediate between the two flats", At = At(100) });
        reReviewed.Status.ShouldBe(ComplaintStatus.Investigating);

        // Mediation: the neighbours agree on the repair in writing.
        var mediating = await mediator.AssessMediationAsync(id, new AssessMediation { Eligible = true, Reason = "a dispute between neighbours", At = At(101) });
        mediating.Status.ShouldBe(ComplaintStatus.InMediation);
        var agreed = await mediator.SignMediationAgreementAsync(id, new SignMediationAgreement
        {
            Terms = "The upstairs owner replaces the bath trap; the management repaints the ceiling.", Copies = 3, At = At(120),
        });
        agreed.Status.ShouldBe(ComplaintStatus.Resolved);
        agreed.Mediation!.Copies.ShouldBe(3);

        var closed = await dispatcher.RecordFollowUpAsync(id, new RecordFollowUp { Satisfied = true, Score = 5, At = At(192) });
        (closed.Status, closed.CloseReason).ShouldBe((ComplaintStatus.Closed, CloseReason.Satisfied));

        // A refusal: a closed case cannot be resolved again; the problem names the rule.
        var refused = await Should.ThrowAsync<ApiException<ProblemDetails>>(() => handler.ResolveComplaintAsync(id,
            new ResolveComplaint { Remedy = Remedy.Apology, Description = "again", Reply = "again" }));
        refused.StatusCode.ShouldBe(409);
        ((JsonElement)refused.Result.AdditionalProperties["rule"]).GetString().ShouldBe("resolve-not-allowed-when-closed");

        var archived = await dispatcher.ArchiveComplaintAsync(id, new ArchiveComplaint());
        archived.Status.ShouldBe(ComplaintStatus.Archived);

        // The complainant looks it up without an account, with the code the receipt showed; without a token nothing else answers.
        var tracked = await Anonymous().TrackComplaintAsync(received.TrackingNumber, new TrackComplaint { Code = received.AccessCode });
        (tracked.Status, tracked.PublicReply).ShouldBe((ComplaintStatus.Archived, agreed.PublicReply));
        // The code lost, the dispatcher issues a new one; the first no longer opens the case.
        var reissued = await dispatcher.IssueAccessCodeAsync(id);
        (await Anonymous().TrackComplaintAsync(received.TrackingNumber, new TrackComplaint { Code = reissued.AccessCode })).Status
            .ShouldBe(ComplaintStatus.Archived);
        (await Should.ThrowAsync<ApiException<ProblemDetails>>(() =>
            Anonymous().TrackComplaintAsync(received.TrackingNumber, new TrackComplaint { Code = received.AccessCode }))).StatusCode.ShouldBe(404);
        (await Should.ThrowAsync<ApiException<ProblemDetails>>(() => Anonymous().GetComplaintAsync(id))).StatusCode.ShouldBe(401);

        (await auditor.GetComplaintAsync(id, version: 1)).Status.ShouldBe(ComplaintStatus.Received);
        var history = await auditor.GetComplaintHistoryAsync(id);
        history.Select(e => e.Type).ShouldContain("complaint_re_reviewed");
        history.Count.ShouldBe((int)reissued.Version);
        (await auditor.VerifyComplaintHistoryAsync(id)).Valid.ShouldBeTrue();

        _conformance.Findings.ShouldBeEmpty();
        _conformance.Exchanges.ShouldBeGreaterThan(20);
    }
}
