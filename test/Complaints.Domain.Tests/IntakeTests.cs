namespace Complaints.Domain.Tests;

public class IntakeTests
{
    private static ReceiveComplaint Receive(Complainant? complainant = null) => new(Channel.Phone, complainant ?? Zhao,
        "The maize seed bought in March germinated below 50%", "Xiaoshan", "seeds", "refund");

    // Receiving

    [Fact]
    public void a_received_complaint_records_who_what_where_and_when_with_its_tracking_number() =>
        Given().When(Receive()).Then(new ComplaintReceived(Id, TrackingNumber, Channel.Phone, Zhao,
            "The maize seed bought in March germinated below 50%", "Xiaoshan", "seeds", "refund", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Received),
                c => c.TrackingNumber.ShouldBe(TrackingNumber),
                c => c.ReceivedAt.ShouldBe(Now));

    [Fact]
    public void receiving_trims_the_text_and_drops_blank_contact_details_and_blank_optional_fields() =>
        Given().When(new ReceiveComplaint(Channel.WalkIn, new(" Zhao Lan ", "  ", " zhao@example.cn ", ""), "  no receipt given  ",
                " ", "  ", "\t"))
            .Then(new ComplaintReceived(Id, TrackingNumber, Channel.WalkIn, new("Zhao Lan", null, "zhao@example.cn", null),
                "no receipt given", null, null, null, Now, User));

    [Fact]
    public void a_complaint_entered_later_keeps_the_time_it_was_received() =>
        Given().When(Receive() with { ReceivedAt = T(-48) })
            .Then(events => events.ShouldHaveSingleItem().ShouldBeOfType<ComplaintReceived>().At.ShouldBe(T(-48)));

    [Theory]
    [InlineData("+86 571 8888-1234", null, null)]
    [InlineData(null, "zhao@example.cn", null)]
    [InlineData(null, null, "12 Orchard Road")]
    [InlineData("(0571) 123 4567 ext 8", null, null)]
    public void a_complainant_needs_a_name_and_any_one_way_to_reply(string? phone, string? email, string? address) =>
        Given().When(Receive(new("Zhao Lan", phone, email, address))).Then(events => events.ShouldHaveSingleItem());

    public static TheoryData<string, ReceiveComplaint> InvalidReceipts => new()
    {
        { "channel", Receive() with { Channel = null } },
        { "channel", Receive() with { Channel = (Channel)42 } },
        { "description", Receive() with { Description = null } },
        { "description", Receive() with { Description = "   " } },
        { "description", Receive() with { Description = Text(10_001) } },
        { "location", Receive() with { Location = Text(501) } },
        { "category", Receive() with { Category = Text(201) } },
        { "remedySought", Receive() with { RemedySought = Text(2_001) } },
        { "receivedAt", Receive() with { ReceivedAt = Now.AddMinutes(2) } },
        { "complainant", Receive() with { Complainant = null } },
        { "complainant", Receive(new("Zhao Lan", null, " ", null)) },
        { "complainant.name", Receive(Zhao with { Name = " " }) },
        { "complainant.name", Receive(Zhao with { Name = Text(201) }) },
        { "complainant.phone", Receive(Zhao with { Phone = "call me" }) },
        { "complainant.phone", Receive(Zhao with { Phone = "12" }) },
        { "complainant.email", Receive(Zhao with { Email = "zhao at example" }) },
        { "complainant.address", Receive(Zhao with { Address = Text(501) }) },
    };

    [Theory, MemberData(nameof(InvalidReceipts))]
    public void an_incomplete_or_malformed_complaint_is_not_received(string field, ReceiveComplaint command) =>
        Given().When(command).ThenInvalid(field);

    [Fact]
    public void every_field_error_is_reported_at_once() =>
        Given().When(new ReceiveComplaint(null, new(" ", "x", null, null), null)).ThenInvalid("channel", "description", "complainant.name", "complainant.phone");

    // Accepting

    [Fact]
    public void a_received_complaint_is_accepted() =>
        Given(In("Received")).When(new AcceptComplaint("meets the criteria"))
            .Then(new ComplaintAccepted("meets the criteria", Now, User), new ServicePromisesGiven("seeds", HistoryTerms, Now.AddDays(30), Now, User))
            .State.Status.ShouldBe(ComplaintStatus.Accepted);

    public static TheoryData<string> NotReceived => StatesExcept("Received");

    [Theory, MemberData(nameof(NotReceived))]
    public void only_a_received_complaint_is_accepted(string state) =>
        Given(In(state)).When(new AcceptComplaint()).ThenRefusedIn("accept", state);

    [Fact]
    public void an_acceptance_note_has_a_limit() => Given(In("Received")).When(new AcceptComplaint(Text(4001))).ThenInvalid("note");

    // Declining

    [Theory]
    [InlineData("Received")]
    [InlineData("Accepted")]
    public void declining_records_the_explanation_and_closes_the_case_as_declined(string state) =>
        Given(In(state)).When(new DeclineComplaint("out of scope", "Contract disputes go to the court."))
            .Then(new ComplaintDeclined("out of scope", "Contract disputes go to the court.", Now, User),
                new ComplaintClosed(CloseReason.Declined, "out of scope", Now, User))
            .State.Describe().ShouldBe("Closed (Declined)");

    public static TheoryData<string> NotAtIntake => StatesExcept("Received", "Accepted");

    [Theory, MemberData(nameof(NotAtIntake))]
    public void a_complaint_is_declined_only_at_intake(string state) =>
        Given(In(state)).When(new DeclineComplaint("out of scope", "explained")).ThenRefusedIn("decline", state);

    [Fact]
    public void declining_a_declined_complaint_names_its_state() =>
        Given(In("Closed (Declined)")).When(new DeclineComplaint("again", "again")).ThenRefusedIn("decline", "Closed (Declined)")
            .Message.ShouldBe("cannot decline: complaint is Closed (Declined); only a complaint that is Received or Accepted can be declined");

    [Theory]
    [InlineData(null, "explained", "reason")]
    [InlineData(" ", "explained", "reason")]
    [InlineData("out of scope", null, "explanation")]
    [InlineData("out of scope", "", "explanation")]
    public void a_decline_needs_a_reason_and_the_explanation_given(string? reason, string? explanation, string field) =>
        Given(In("Received")).When(new DeclineComplaint(reason, explanation)).ThenInvalid(field);

    [Fact]
    public void a_decline_reason_is_short() =>
        Given(In("Received")).When(new DeclineComplaint(Text(501), "explained")).ThenInvalid("reason");

    // Withdrawing

    public static TheoryData<string> Open => States(OpenStates);

    [Theory, MemberData(nameof(Open))]
    public void the_complainant_may_withdraw_at_any_time_before_closing(string state) =>
        Given(In(state)).When(new WithdrawComplaint("solved with the dealer"))
            .Then(new ComplaintWithdrawn("solved with the dealer", Now, User), new ComplaintClosed(CloseReason.Withdrawn, "solved with the dealer", Now, User))
            .State.Describe().ShouldBe("Closed (Withdrawn)");

    [Fact]
    public void a_withdrawal_needs_no_reason() =>
        Given(In("Accepted")).When(new WithdrawComplaint())
            .Then(new ComplaintWithdrawn(null, Now, User), new ComplaintClosed(CloseReason.Withdrawn, null, Now, User));

    public static TheoryData<string> Finished => States(FinishedStates);

    [Theory, MemberData(nameof(Finished))]
    public void a_closed_or_archived_complaint_cannot_be_withdrawn(string state) =>
        Given(In(state)).When(new WithdrawComplaint()).ThenFails("withdraw-after-close", $"complaint is {state};");

    [Fact]
    public void a_withdrawal_reason_has_a_limit() => Given(In("Accepted")).When(new WithdrawComplaint(Text(4001))).ThenInvalid("reason");
}
