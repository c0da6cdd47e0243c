using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Marten;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

public sealed class IdempotencyTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _api = new(fixture.Host);

    [Fact]
    public async Task a_retried_receive_with_the_same_idempotency_key_returns_the_first_answer_and_records_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = await _api.Receive(idempotencyKey: key);
        var retry = await _api.Receive(idempotencyKey: key);

        Text(retry["id"]).ShouldBe(Text(first["id"]));
        Text(retry["trackingNumber"]).ShouldBe(Text(first["trackingNumber"]));
        await using var session = fixture.Store.QuerySession();
        var streams = await session.Events.QueryRawEventDataOnly<ComplaintReceived>()
            .Where(e => e.TrackingNumber == Text(first["trackingNumber"])).CountAsync();
        streams.ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_receives_with_the_same_key_create_one_complaint()
    {
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.Receive(idempotencyKey: key)));
        answers.Select(a => Text(a["id"])).Distinct().Count().ShouldBe(1);
        await using var session = fixture.Store.QuerySession();
        var trackingNumber = Text(answers[0]["trackingNumber"]);
        (await session.Events.QueryRawEventDataOnly<ComplaintReceived>()
            .Where(e => e.ComplaintId == Guid.Parse(Text(answers[0]["id"]))).CountAsync()).ShouldBe(1);
        trackingNumber.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task different_keys_create_different_complaints()
    {
        var a = await _api.Receive(idempotencyKey: Guid.NewGuid().ToString());
        var b = await _api.Receive(idempotencyKey: Guid.NewGuid().ToString());
        Text(a["id"]).ShouldNotBe(Text(b["id"]));
    }
}
