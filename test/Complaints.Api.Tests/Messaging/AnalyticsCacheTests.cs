using Alba;
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
        (await Get(query + "&x=1")).Context.Response.Headers.ContainsKey("Age").ShouldBeFalse();
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
