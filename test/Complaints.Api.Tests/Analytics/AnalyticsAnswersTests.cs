using System.Security.Claims;
using Complaints.Api.Analytics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>How the kept answers bound one caller's computations, and drop a computation nobody waits for.</summary>
public sealed class AnalyticsAnswersTests
{
    private static readonly AnalyticsAnswers Answers = new(new ConfigurationBuilder().Build(), TimeProvider.System, NullLogger<AnalyticsAnswers>.Instance);

    private static HttpContext Caller(string user) => new DefaultHttpContext
    {
        User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Api.Identity.TokenSettings.UserClaim, user)], "test")),
    };

    [Fact]
    public async Task a_caller_may_have_two_first_computations_under_way_and_no_more_while_others_go_on()
    {
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ct = TestContext.Current.CancellationToken;
        var analyst = Caller("analyst." + Guid.NewGuid());
        var first = Answers.Get("q1 " + Guid.NewGuid(), analyst, _ => release.Task, ct);
        var second = Answers.Get("q2 " + Guid.NewGuid(), analyst, _ => release.Task, ct);

        await Should.ThrowAsync<TooManyComputations>(() => Answers.Get("q3 " + Guid.NewGuid(), analyst, _ => Task.FromResult(3), ct));
        (await Answers.Get("q4 " + Guid.NewGuid(), Caller("other." + Guid.NewGuid()), _ => Task.FromResult(4), ct)).ShouldBe(4);

        release.SetResult(1);
        (await first, await second).ShouldBe((1, 1));
        (await Answers.Get("q5 " + Guid.NewGuid(), analyst, _ => Task.FromResult(5), ct)).ShouldBe(5);
    }

    [Fact]
    public async Task a_first_computation_is_cancelled_when_everyone_who_asked_has_left()
    {
        var question = "abandoned " + Guid.NewGuid();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaving = new CancellationTokenSource();
        var asked = Answers.Get(question, Caller("analyst." + Guid.NewGuid()), async token =>
        {
            token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, leaving.Token);

        await leaving.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => asked);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // The question is asked afresh, not answered with the abandoned computation's failure.
        (await Answers.Get(question, Caller("analyst." + Guid.NewGuid()), _ => Task.FromResult(7), TestContext.Current.CancellationToken)).ShouldBe(7);
    }

    [Fact]
    public async Task callers_whose_computations_have_ended_are_not_remembered()
    {
        var answers = new AnalyticsAnswers(new ConfigurationBuilder().Build(), TimeProvider.System, NullLogger<AnalyticsAnswers>.Instance);
        var ct = TestContext.Current.CancellationToken;
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = answers.Get("slow", Caller("analyst.slow"), _ => release.Task, ct);
        for (var i = 0; i < 50; i++) (await answers.Get($"q{i}", Caller($"analyst.{i}"), _ => Task.FromResult(i), ct)).ShouldBe(i);
        await Should.ThrowAsync<InvalidOperationException>(() => answers.Get("failing", Caller("analyst.failing"),
            Task<int> (_) => throw new InvalidOperationException("the database is gone"), ct));

        answers.CallersComputing.ShouldBe(1);
        release.SetResult(1);
        (await waiting).ShouldBe(1);
        answers.CallersComputing.ShouldBe(0);
    }
}
