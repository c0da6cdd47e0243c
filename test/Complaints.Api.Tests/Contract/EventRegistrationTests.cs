using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Shouldly;

namespace Complaints.Api.Tests.Contract;

public sealed class EventRegistrationTests(ApiFixture fixture)
{
    private static readonly Type[] DomainEvents = typeof(IComplaintEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IComplaintEvent).IsAssignableFrom(t))
        .ToArray();

    [Fact]
    public void every_domain_event_is_registered_under_its_own_fixed_snake_case_name()
    {
        var registered = fixture.Store.Options.Events.AllKnownEventTypes().ToDictionary(m => m.EventType, m => m.EventTypeName);

        DomainEvents.Length.ShouldBe(32);
        DomainEvents.Where(t => !registered.ContainsKey(t)).ShouldBeEmpty();
        var names = DomainEvents.Select(t => registered[t]).ToArray();
        names.ShouldAllBe(name => System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z]+(_[a-z]+)*$"));
        names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();

        // The names are stored with every event: changing one orphans recorded history, so they are pinned here.
        names.Order().ToArray().ShouldBe([
            "access_code_issued", "complainant_not_reached", "complaint_accepted", "complaint_archived", "complaint_assigned", "complaint_closed", "complaint_declined",
            "complaint_escalated", "complaint_escalated_to_higher_level", "complaint_re_reviewed", "complaint_received",
            "complaint_resolved", "complaint_returned", "complaint_triaged", "complaint_urged", "complaint_withdrawn", "evidence_recorded",
            "expected_resolution_date_given", "findings_recorded", "first_response_made", "follow_up_recorded",
            "mediation_agreement_signed", "mediation_assessed", "mediation_failed", "personal_data_erased", "re_review_requested",
            "rectification_ordered", "resolution_due_extended", "service_promise_missed", "service_promises_given", "settled_by_parties", "source_anomaly_noted",
        ]);
    }
}
