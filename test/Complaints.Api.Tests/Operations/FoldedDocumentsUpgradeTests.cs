using Complaints.Api.Tests.Messaging;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// A store written by an earlier version keeps the write model and the case details in the shape that version folded;
/// the API folds them afresh from the events when it starts. A database of its own, so that the rewrite touches no other test.
/// </summary>
public sealed class FoldedDocumentsUpgradeTests
{
    [Fact]
    public async Task documents_of_an_older_shape_are_folded_afresh_at_start()
    {
        var database = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_upgrade");
        Guid id;
        await using (var before = await MessagingFixture.StartApi(database, TimeProvider.System, new Dictionary<string, string>()))
        {
            var staff = new Staff(before);
            id = await staff.Intake.ReceiveId();
            await staff.Dispatcher.Do(id, "accept");
            await staff.Dispatcher.Do(id, "assign", new { department = "Roads", handler = staff.Handler.User });
            await staff.Handler.Do(id, "return", new { reason = "not ours" });
        }

        // As an earlier version stored them: the details without the fold, the write model without fields added since.
        (await TestSql.Execute(database, "update complaints.mt_doc_complaintdetails set data = data - 'case' where id = @id", ("id", id))).ShouldBe(1);
        (await TestSql.Execute(database,
            "update complaints.mt_doc_complaint set data = data - 'lastEventAt' - 'firstAssignedAt' - 'returns' where id = @id", ("id", id))).ShouldBe(1);

        await using var after = await MessagingFixture.StartApi(database, TimeProvider.System, new Dictionary<string, string>());
        var details = await new ComplaintsApi(after, "dispatcher.chen").Get(id);
        Text(details["trackingNumber"]).ShouldStartWith("C-");
        Text(details["status"]).ShouldBe("Accepted");
        Int(details["returnCount"]).ShouldBe(1);
        ((bool)(await TestSql.Scalar(database, "select data ? 'case' from complaints.mt_doc_complaintdetails where id = @id", ("id", id)))!).ShouldBeTrue();
        (await TestSql.Scalar(database, "select data ->> 'returns' from complaints.mt_doc_complaint where id = @id", ("id", id))).ShouldBe("1");
    }
}
