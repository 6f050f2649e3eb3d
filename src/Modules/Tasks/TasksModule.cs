using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;

namespace Referral.Modules.Tasks;

/// <summary>
/// Tasks (arbetsuppgifter): every duty, deadline and reminder of the manual, raised for the organisation that must act
/// and closed by the command that fulfils it. Fed only by the steps' public events on the case stream (ADR 0012);
/// no step calls it, and it calls no step.
/// </summary>
public sealed class TasksModule : IModule
{
    public string Name => "tasks";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.AddSingleton(options);
        services.AddSchemaSql(FeedSchema.InstallSql);
        services.AddSingleton(sp => WebhookOptions.From(configuration, sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>()));
        services.AddSingleton<WebhookSigning>();
        services.AddHttpClient(WebhookDispatcher.Client).ConfigurePrimaryHttpMessageHandler(sp => WebhookDispatcher.Handler(sp.GetRequiredService<WebhookOptions>()));
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddValidatorsFromAssemblyContaining<TasksModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.ConfigureMarten(marten =>
        {
            CaseStepDocuments.Register<TasksState>();
            marten.Projections.Add(new TasksProjection(new TasksRules(options)), ProjectionLifecycle.Inline);
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/v1/tasks").WithTags("Tasks");
        tasks.MapGet("", ListAsync)
            .WithName(nameof(ListTasks))
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListTasks)))
            .ParametersFrom<ListTasks>()
            .ProducesQueryProblems();

        var webhooks = app.MapGroup("/api/v1/webhooks").WithTags("Tasks");
        webhooks.MapPost("", SubscribeAsync).WithName(nameof(SubscribeWebhook)).WithDescription(CaseEndpoints.WhoMay(typeof(SubscribeWebhook)))
            .Produces<WebhookCreated>(StatusCodes.Status201Created).ProducesCommandProblems();
        webhooks.MapGet("", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListWebhooks(), ct)))
            .WithName(nameof(ListWebhooks)).WithSummary("The caller's organisation's webhook subscriptions and how their delivery stands.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListWebhooks))).ProducesQueryProblems();
        webhooks.MapGet("/{subscriptionId:guid}", async (Guid subscriptionId, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetWebhook(subscriptionId), ct)))
            .WithName(nameof(GetWebhook)).WithSummary("One webhook subscription of the caller's organisation and how its delivery stands.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetWebhook))).ProducesQueryProblems();
        webhooks.MapPost("/{subscriptionId:guid}/cancel", async (Guid subscriptionId, CancelWebhook command, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(command with { SubscriptionId = subscriptionId }, ct)))
            .WithName(nameof(CancelWebhook)).WithSummary("End a subscription: nothing more is delivered to it.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(CancelWebhook))).ProducesCommandProblems();
        webhooks.MapPost("/{subscriptionId:guid}/redeliver", async (Guid subscriptionId, RedeliverWebhookDeadLetters command, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(command with { SubscriptionId = subscriptionId }, ct)))
            .WithName(nameof(RedeliverWebhookDeadLetters)).WithSummary("Deliver the subscription's dead letters again on the next round.")
            .WithDescription(CaseEndpoints.WhoMay(typeof(RedeliverWebhookDeadLetters))).ProducesCommandProblems();

        var feed = app.MapGroup("/api/v1/feed").WithTags("Tasks");
        feed.MapGet("", FeedAsync)
            .WithName(nameof(ReadFeed))
            .WithDescription(CaseEndpoints.WhoMay(typeof(ReadFeed)))
            .ParametersFrom<ReadFeed>()
            .ProducesQueryProblems();
    }

    /// <summary>Subscribe the caller's organisation's notifications to a receiver, signed per Standard Webhooks; the answer holds the secret, once.</summary>
    /// <param name="command">The receiver's address.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Created<WebhookCreated>> SubscribeAsync(SubscribeWebhook command, ISender sender, CancellationToken ct)
    {
        var created = await sender.Send(command, ct);
        return TypedResults.Created($"/api/v1/webhooks/{created.SubscriptionId}", created);
    }

    /// <summary>The caller's notifications in order — events of the cases it takes part in, its tasks raised and closed — after a cursor.</summary>
    /// <param name="after">The <c>next</c> cursor of the previous page (none: from the start).</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="limit">Rows to scan, 1–500; a page may hold fewer notifications, and its <c>next</c> always moves on.</param>
    private static async Task<Ok<FeedPage>> FeedAsync(string? after, ISender sender, CancellationToken ct, int limit = 100) =>
        TypedResults.Ok(await sender.Send(new ReadFeed(after, limit), ct));

    /// <summary>The task settings, with the permit reminders and closed days of the reflection-period step's section.</summary>
    public static TasksOptions Options(IConfiguration configuration)
    {
        var options = configuration.GetSection("Tasks").Get<TasksOptions>() ?? new TasksOptions();
        var permits = configuration.GetSection("ReflectionPeriod");
        options.ReflectionReminderDays = permits.GetSection("ReflectionReminderDays").Get<int[]>() ?? [];
        options.CooperationReminderDays = permits.GetSection("CooperationReminderDays").Get<int[]>() ?? [];
        options.Holidays = permits.GetSection("Holidays").Get<DateOnly[]>() ?? [];
        options.TimeZone = permits["TimeZone"] ?? options.TimeZone;
        options.ClaimWarningDays = configuration.GetSection("Reimbursement:WarningDays").Get<int[]>() ?? [];
        if (configuration.GetSection("VoluntaryReturn").GetValue<TimeSpan?>("LeaderAcknowledgementWait") is { } wait)
        {
            options.LeaderAcknowledgementWait = wait;
        }

        return options;
    }

    /// <summary>The caller's organisation's tasks on the cases it takes part in, due first; without a status the work queue (open and overdue).</summary>
    /// <param name="status">Only tasks in this status (default: open and overdue).</param>
    /// <param name="dueAfter">Only tasks due at or after this time.</param>
    /// <param name="dueBefore">Only tasks due at or before this time.</param>
    /// <param name="caseId">Only tasks on this case.</param>
    /// <param name="claimId">Only tasks on this reimbursement claim.</param>
    /// <param name="kind">Only tasks of this kind.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Items per page, 1–200.</param>
    private static async Task<Ok<TaskList>> ListAsync(
        WorkTaskStatus? status,
        DateTimeOffset? dueAfter,
        DateTimeOffset? dueBefore,
        Guid? caseId,
        Guid? claimId,
        WorkTaskKind? kind,
        ISender sender,
        CancellationToken ct,
        int page = 1,
        int pageSize = 50) =>
        TypedResults.Ok(await sender.Send(new ListTasks(status, dueAfter, dueBefore, caseId, claimId, kind, page, pageSize), ct));
}
