namespace Complaints.Domain.Tests;

/// <summary>The complainant's access code: given at receipt as a hash, issued again by a decision, folded into the case.</summary>
public class TrackingTests
{
    private static readonly string FirstCode = new('a', 64);
    private static readonly string NewCode = new('b', 64);

    public static TheoryData<string> Every => new(AllStates);

    [Fact]
    public void a_complaint_received_with_a_code_records_its_hash_and_the_case_holds_it()
    {
        var receive = new ReceiveComplaint(Channel.Phone, Zhao, "The seed did not germinate.");
        var received = receive.Decide(Id, TrackingNumber, new CommandContext(User, Now, Policies), FirstCode);

        received.AccessCodeHash.ShouldBe(FirstCode);
        Given(received).State.AccessCodeHash.ShouldBe(FirstCode);
        Given(Received(0)).State.AccessCodeHash.ShouldBeNull();
    }

    [Theory]
    [InlineData("not a hash")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void a_receipt_with_something_else_than_a_sha256_for_a_code_is_invalid(string hash) =>
        Should.Throw<ComplaintCommandInvalid>(() => new ReceiveComplaint(Channel.Phone, Zhao, "The seed did not germinate.")
            .Decide(Id, TrackingNumber, new CommandContext(User, Now, Policies), hash)).Errors.Keys.ShouldBe(["accessCodeHash"]);

    [Theory, MemberData(nameof(Every))]
    public void a_new_code_is_issued_in_any_state_replacing_the_one_before_without_moving_the_case(string state)
    {
        var before = Given(In(state)).State;
        Given(In(state)).When(new IssueAccessCode(NewCode))
            .Then(new AccessCodeIssued(NewCode, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.AccessCodeHash.ShouldBe(NewCode),
                c => c.Describe().ShouldBe(state),
                c => c.LastStepAt.ShouldBe(before.LastStepAt),
                c => c.LastEventAt.ShouldBe(before.LastEventAt));
    }

    [Fact]
    public void a_code_issued_again_replaces_the_one_given_at_receipt() =>
        Given(Received(0) with { AccessCodeHash = FirstCode }).When(new IssueAccessCode(NewCode))
            .Then(new AccessCodeIssued(NewCode, Now, User))
            .State.AccessCodeHash.ShouldBe(NewCode);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7KQ4-M2XD-9PWA-H3TZ")]
    public void a_code_is_issued_only_as_a_sha256_never_as_the_code_itself(string? hash) =>
        Given(In("Resolved")).When(new IssueAccessCode(hash)).ThenInvalid("accessCodeHash");

    [Fact]
    public void a_code_is_issued_when_it_is_given_and_cannot_be_dated() =>
        Given(In("Resolved")).When(new IssueAccessCode(NewCode) { At = T(20) }).ThenInvalid("at");

    [Fact]
    public void after_an_erasure_no_code_is_issued_and_the_one_given_stays()
    {
        var history = Given([Received(0) with { AccessCodeHash = FirstCode }], new PersonalDataErased("court order", T(1), "admin"));
        history.When(new IssueAccessCode(NewCode)).ThenFails("complainant-erased", "erased");
        history.State.AccessCodeHash.ShouldBe(FirstCode);
    }

    [Fact]
    public void a_step_entered_later_may_still_be_dated_before_a_new_code() =>
        Given(In("Resolved"), new AccessCodeIssued(NewCode, T(100), User))
            .When(new RecordFollowUp(true, 5) { At = T(7) })
            .Then(events => events.OfType<FollowUpRecorded>().ShouldHaveSingleItem().At.ShouldBe(T(7)));
}
