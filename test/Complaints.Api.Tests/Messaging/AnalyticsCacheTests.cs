using Alba;
using Marten.Events;
using Complaints.Api.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// The analytics answers are kept a few seconds (the configured default, as the messaging host runs): a repeat of the same
/// question is answered from the cache, with its Age; another question is computed afresh.
/// </summary>
[Collection(nameof(MessagingCollection))]
public sealed class AnalyticsCacheTests(MessagingFixture fixture)
{
    private async Task<IScenarioResult> Get(string url) => await fixture.Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader(Support.ApiFixture.UserHeader, "analyst.cache");
        s.StatusCodeShouldBeOk();
    });

    [Fact]
    public async Task a_repeated_analytics_question_is_answered_from_the_cache_with_its_age()
    {
        var query = $"/api/analytics/satisfaction?from=2020-01-01&to={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}&by=month";
        var first = await Get(query);
        var again = await Get(query);

        first.Context.Response.Headers.ContainsKey("Age").ShouldBeFalse();
        again.Context.Response.Headers.ContainsKey("Age").ShouldBeTrue();
        (await again.ReadAsTextAsync()).ShouldBe(await first.ReadAsTextAsync());
        // The question is its parameters as read: anything added to the URL, or the same day written otherwise, is the
        // same question, and is not computed again.
        (await Get(query + "&x=1")).Context.Response.Headers.ContainsKey("Age").ShouldBeTrue();
        (await Get(query.Replace("from=2020-01-01", "from=2020-01-01T08:00:00%2B08:00"))).Context.Response.Headers.ContainsKey("Age").ShouldBeTrue();
        (await Get(query.Replace("by=month", "by=channel"))).Context.Response.Headers.ContainsKey("Age").ShouldBeFalse();
        // The basis is part of the question: the received basis is another answer; the event basis named is the default's.
        (await Get(query + "&basis=event")).Context.Response.Headers.ContainsKey("Age").ShouldBeTrue();
        (await Get(query + "&basis=received")).Context.Response.Headers.ContainsKey("Age").ShouldBeFalse();
        (await Get(query + "&basis=Received")).Context.Response.Headers.ContainsKey("Age").ShouldBeTrue();
    }

    [Fact]
    public async Task an_answer_older_than_the_keeping_time_is_still_given_at_once_while_a_fresh_one_is_computed()
    {
        var received = await new Support.ComplaintsApi(fixture.Host, "intake.amy").ReceiveId();
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        // A period of this test's own: it starts at this instant a day ago.
        var query = $"/api/analytics/cycle-times?by=channel&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}";
        var first = await Get(query);
        first.Context.Response.Headers.ContainsKey("Age").ShouldBeFalse();

        // Another complaint is accepted; the kept answer does not show it until it is older than the keeping time (5 s).
        await new Support.ComplaintsApi(fixture.Host, "dispatcher.chen").Do(received, "accept");
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        try
        {
            var stale = await Get(query);
            int.Parse(stale.Context.Response.Headers.Age.ToString()).ShouldBeGreaterThanOrEqualTo(6);
            (await stale.ReadAsTextAsync()).ShouldBe(await first.ReadAsTextAsync());

            // That request started the computation; a later one gets its answer.
            var old = await first.ReadAsTextAsync();
            IScenarioResult again;
            var attempt = 0;
            do
            {
                await Task.Delay(50);
                again = await Get(query);
            } while (await again.ReadAsTextAsync() == old && ++attempt < 100);
            (await again.ReadAsTextAsync()).ShouldNotBe(old);
            (await again.ReadAsTextAsync()).ShouldContain("receivedToAccepted");
            int.Parse(again.Context.Response.Headers.Age.ToString()).ShouldBeLessThan(6);
        }
        finally
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(-6)); // the other tests of the collection share the clock
        }
    }

    [Fact]
    public async Task the_cache_never_answers_a_caller_who_may_not_ask()
    {
        var query = "/api/analytics/cycle-times?by=month";
        await Get(query);
        await fixture.Host.Scenario(s =>
        {
            s.Get.Url(query);
            s.WithRequestHeader("Authorization", "Bearer " + fixture.Host.Services.GetRequiredService<TokenSettings>()
                .Issue("handler.li", [Roles.Handler], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
            s.StatusCodeShouldBe(403);
        });
        await fixture.Host.Scenario(s =>
        {
            s.Get.Url(query);
            s.WithRequestHeader(Support.ApiFixture.AnonymousHeader, "true");
            s.StatusCodeShouldBe(401);
        });
    }
}
