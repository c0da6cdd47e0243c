using Complaints.Api.Commanding;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// Every command the HTTP API takes can also arrive on the queue, under the name of its route; but for issuing an access
/// code, whose answer is the code (which the queue could not carry) and which a queue body could choose.
/// </summary>
public sealed class CommandCatalogTests(ApiFixture fixture)
{
    [Fact]
    public void every_command_route_is_an_action_on_the_queue_taking_the_same_command()
    {
        var routes = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/api/complaints/{id:guid}/"))
            .ToDictionary(e => e.RoutePattern.RawText!.TrimStart('/')["api/complaints/{id:guid}/".Length..],
                e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType?.Name);
        routes.Remove(CommandCatalog.IssueAccessCode.Action).ShouldBeTrue();
        CommandCatalog.OnComplaint.ToDictionary(c => c.Action, c => (string?)c.Command.Name).ShouldBe(routes, ignoreOrder: true);

        var commands = typeof(ComplaintCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ComplaintCommand)) && !t.IsAbstract);
        CommandCatalog.OnComplaint.Append(CommandCatalog.IssueAccessCode).Select(c => c.Command.Name)
            .ShouldBe(commands.Select(t => t.Name), ignoreOrder: true);
        CommandCatalog.Find(CommandCatalog.IssueAccessCode.Action).ShouldBeNull();
        CommandCatalog.Actions.ShouldNotContain(CommandCatalog.IssueAccessCode.Action);
    }
}
