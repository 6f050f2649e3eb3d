using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Deadlines;
using Referral.BuildingBlocks.Http;
using Referral.BuildingBlocks.Modules;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.Modules.Suspicion;

/// <summary>
/// Suspicion and identification (manual step 1, identifiering): registering a suspicion creates the case; consent,
/// coordinator consultation, indicator assessment, declaration as presumed victim, closure and reopening; anonymous
/// consultations; the separate person record.
/// </summary>
public sealed class SuspicionModule : IModule
{
    public string Name => "suspicion";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatorsFromAssemblyContaining<SuspicionModule>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddSingleton<CaseParticipation>();
        services.AddSingleton<PersonRecordRetention>();
        services.AddOptions<PersonRecordOptions>()
            .Bind(configuration.GetSection("PersonRecords"))
            .Validate(o => o.KeyBytes() is not null, "PersonRecords:KeyEncryptionKey must be set: base64 of 32 random bytes, from the secret store (never the database).")
            .ValidateOnStart();
        services.AddSingleton<PersonRecordCipher>();
        services.AddSingleton<IDeadlineSource>(sp => sp.GetRequiredService<PersonRecordRetention>());
        services.AddSingleton<ICaseAccess>(sp => sp.GetRequiredService<CaseParticipation>());
        services.AddStreamNeedToKnow<CaseNeedToKnow>();
        services.AddSingleton<ICaseOverviewContributor, SuspicionOverview>();
        services.ConfigureMarten(options =>
        {
            CaseStepDocuments.Register<SuspicionState>();
            options.MapEventAliases(SuspicionEventAliases.All);
            options.Projections.Add<SuspicionStateProjection>(ProjectionLifecycle.Inline);
            options.Projections.Add<ConsultationProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<SuspicionState>()
                .Index(x => x.RegisteredAt)
                .Index(x => x.MunicipalityCode)
                .Index(x => x.CountedSubjectId)
                .GinIndexJsonData();
            options.Schema.For<PersonRecord>().Index(x => x.CaseId);
            options.RegisterDocumentType<PersonRecordKey>();
            options.Schema.For<PersonRecordRevision>().Index(x => x.SubjectId);
            options.Schema.For<ConsultationView>().Index(x => x.ConsultedAt);
        });

        // Synthetic examples for the OpenAPI document.
        services.AddSingleton(new OpenApiExample(typeof(RegisterSuspicion), new RegisterSuspicion(
            ReportingChannel.InPerson, "0180", null, AgeCategory.Adult, Gender.Female, "NG", CitizenshipCategory.ThirdCountry,
            ResidenceBasis.NoRightOfResidence, ["en"], false, [ExploitationPurpose.SexualExploitation], null,
            [Indicator.NoOrFalseIdDocuments], [MethodOfControl.WithholdsDocuments, MethodOfControl.DebtBondage], ["SE"], null, null)));
        services.AddSingleton(new OpenApiExample(typeof(RecordConsent), new RecordConsent(
            ConsentStatus.Given, [ConsentScope.ReferralToRegionalCoordinator, ConsentScope.ShareWithPolice], "en", true)));
        services.AddSingleton(new OpenApiExample(typeof(DeclarePresumedVictim), new DeclarePresumedVictim(
            "Debt bondage and withheld documents observed; the person's account is consistent.", AgeCategory.Adult, [ExploitationPurpose.SexualExploitation])));
        services.AddSingleton(new OpenApiExample(typeof(ReferOrganisation), new ReferOrganisation("rko-stockholm", OrgType.RegionalCoordinator)));
        services.AddSingleton(new OpenApiExample(typeof(SetProtectedIdentity), new SetProtectedIdentity(true)));
        services.AddSingleton(new OpenApiExample(typeof(LinkSubject), new LinkSubject(Guid.Parse("019cae34-7780-7289-a7b7-06115491aee7"))));
        services.AddSingleton(new OpenApiExample(typeof(SetPersonRecordRestriction), new SetPersonRecordRestriction(true, RestrictionGround.AccuracyContested)));
        services.AddSingleton(new OpenApiExample(typeof(CorrectPresumedVictimDeclaration), new CorrectPresumedVictimDeclaration(
            AgeCategory.Adult, [ExploitationPurpose.SexualExploitation, ExploitationPurpose.ForcedLabour], "Forced labour was observed too and left out.")));
        services.AddSingleton(new OpenApiExample(typeof(RetractPresumedVictimDeclaration), new RetractPresumedVictimDeclaration("The declaration was made on the wrong case.")));
        services.AddSingleton(new OpenApiExample(typeof(CloseAsNotTrafficking), new CloseAsNotTrafficking(
            ClosureReason.NoIndicators, "No third-party control, no debt, free movement.")));
        services.AddSingleton(new OpenApiExample(typeof(RecordAnonymousConsultation), new RecordAnonymousConsultation(
            OrgType.HealthCare, ReportingChannel.Hotline, AgeCategory.Adult, null, [ExploitationPurpose.SexualExploitation], null, true)));
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("Cases");
        cases.MapPost("", RegisterSuspicionAsync)
            .WithName(nameof(RegisterSuspicion))
            .WithDescription(CaseEndpoints.WhoMay(typeof(RegisterSuspicion)))
            .Produces<SuspicionView>(StatusCodes.Status201Created)
            .ProducesCommandProblems();
        cases.MapGet("", ListCasesAsync)
            .WithName(nameof(ListCases))
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListCases)))
            .ParametersFrom<ListCases>()
            .ProducesQueryProblems();

        var step = app.MapGroup("/api/v1/cases/{caseId:guid}/suspicion").WithTags("Suspicion");
        step.MapStepQuery(id => new GetSuspicion(id), nameof(GetSuspicion), "The suspicion and identification step of a case, with the caller's allowed actions.");
        step.MapCaseCommand<RecordConsent, SuspicionView>(CaseEndpoints.Route<RecordConsent>(), "Record consent (samtycke), its scope or its withdrawal.");
        step.MapCaseCommand<RequestCoordinatorConsultation, SuspicionView>(CaseEndpoints.Route<RequestCoordinatorConsultation>(), "Consult a regional coordinator (regionkoordinator).");
        step.MapCaseCommand<RecordIndicatorAssessment, SuspicionView>(CaseEndpoints.Route<RecordIndicatorAssessment>(), "Record an assessment of indicators.");
        step.MapCaseCommand<DeclarePresumedVictim, SuspicionView>(CaseEndpoints.Route<DeclarePresumedVictim>(), "Declare the person a presumed victim (förmodat offer).");
        step.MapCaseCommand<CorrectPresumedVictimDeclaration, SuspicionView>(CaseEndpoints.Route<CorrectPresumedVictimDeclaration>(), "Correct the presumed-victim declaration (R20).");
        step.MapCaseCommand<RetractPresumedVictimDeclaration, SuspicionView>(CaseEndpoints.Route<RetractPresumedVictimDeclaration>(), "Retract the presumed-victim declaration (R20).");
        step.MapCaseCommand<RecommendPresumedVictim, SuspicionView>(CaseEndpoints.Route<RecommendPresumedVictim>(), "Recommend a presumed-victim declaration.");
        step.MapCaseCommand<CloseAsNotTrafficking, SuspicionView>(CaseEndpoints.Route<CloseAsNotTrafficking>(), "Close the case as not trafficking.");
        step.MapCaseCommand<MarkContactLost, SuspicionView>(CaseEndpoints.Route<MarkContactLost>(), "Record that contact with the person is lost.");
        step.MapCaseCommand<Reopen, SuspicionView>(CaseEndpoints.Route<Reopen>(), "Reopen a closed case on new information.");
        step.MapCaseCommand<ReportPersonMissing, SuspicionView>(CaseEndpoints.Route<ReportPersonMissing>(), "Report that the person is missing (R12).");
        step.MapCaseCommand<ReportPersonFound, SuspicionView>(CaseEndpoints.Route<ReportPersonFound>(), "Report that a missing person was found.");
        step.MapCaseCommand<LinkSubject, SuspicionView>(CaseEndpoints.Route<LinkSubject>(), "R18: the same person as in another case (reported by another organisation): counted once in the statistics.");
        step.MapCaseCommand<SetProtectedIdentity, SuspicionView>(CaseEndpoints.Route<SetProtectedIdentity>(), "Record protected personal data (skyddade personuppgifter): the municipality is then hidden from non-participants.");

        var participants = app.MapGroup("/api/v1/cases/{caseId:guid}/participants").WithTags("Participants");
        participants.MapStepQuery(id => new GetParticipants(id), nameof(GetParticipants),
            "The organisations taking part in a case: how each came to (registered, designated, referred, joined under a legal basis, investigation) and since when.");
        participants.MapCaseCommand<ReferOrganisation, ParticipantsView>(CaseEndpoints.Route<ReferOrganisation>(),
            "Refer the case to another organisation (hänvisning): within the adult's consent scope (R11), for a child, or under a legal basis that fits the receiver (R15).");
        participants.MapCaseCommand<JoinCase, ParticipantsView>(CaseEndpoints.Route<JoinCase>(),
            "Join a case under a legal basis (X-Legal-Basis, X-Purpose) that fits the organisation and the case (R15); logged in the history and the access log.");

        var person = app.MapGroup("/api/v1/cases/{caseId:guid}/person").WithTags("Person record");
        person.MapGet("", GetPersonRecordAsync)
            .WithName(nameof(GetPersonRecord))
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetPersonRecord)) + " Only organisations taking part in the case.")
            .ProducesQueryProblems();
        person.MapGet("history", async (Guid caseId, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetPersonRecordHistory(caseId), ct)))
            .WithName(nameof(GetPersonRecordHistory))
            .WithSummary("The previous values of a corrected person record, newest first (rättelse keeps them).")
            .WithDescription(CaseEndpoints.WhoMay(typeof(GetPersonRecordHistory)) + " Only organisations taking part in the case; never under a disclosure basis. Erasure deletes the history with the record.")
            .ProducesQueryProblems();
        person.MapCaseCommand<SetPersonRecordRestriction, PersonRecordRestrictionView>(CaseEndpoints.Route<SetPersonRecordRestriction>(),
            "Restrict processing of the person record (GDPR art. 18, begränsning) or lift the restriction.");
        person.MapPut("", CorrectPersonRecordAsync)
            .WithName(nameof(CorrectPersonRecord))
            .WithDescription(CaseEndpoints.WhoMay(typeof(CorrectPersonRecord)) + " Only organisations taking part in the case. Replaces the record, so a retry is harmless (no Idempotency-Key: answers with personal data are never kept).")
            .ProducesCommandProblems(idempotencyKey: false);
        person.MapDelete("", ErasePersonRecordAsync)
            .WithName(nameof(ErasePersonRecord))
            .WithDescription(CaseEndpoints.WhoMay(typeof(ErasePersonRecord)) + " Only organisations taking part in the case.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesQueryProblems()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        app.MapGet("/api/v1/privacy/retention-due", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListRetentionDue(), ct)))
            .WithTags("Person record").WithName(nameof(ListRetentionDue))
            .WithSummary("Dry run of retention: the person records that would be erased now (closed cases past the retention period).")
            .WithDescription(CaseEndpoints.WhoMay(typeof(ListRetentionDue)))
            .ProducesQueryProblems();

        var consultations = app.MapGroup("/api/v1/consultations").WithTags("Anonymous consultations");
        consultations.MapPost("", RecordConsultationAsync)
            .WithName(nameof(RecordAnonymousConsultation))
            .WithDescription(CaseEndpoints.WhoMay(typeof(RecordAnonymousConsultation)) + " A field outside the schema is refused as personal data (422).")
            .WithMetadata(AnonymousPayloadMetadata.Instance)
            .Produces<ConsultationView>(StatusCodes.Status201Created)
            .ProducesCommandProblems();
        consultations.MapGet("count", CountConsultationsAsync)
            .WithName(nameof(CountConsultations))
            .WithDescription(CaseEndpoints.WhoMay(typeof(CountConsultations)))
            .ProducesQueryProblems();
    }

    /// <summary>Register a suspicion of human trafficking; creates the case.</summary>
    /// <remarks>The reporting organisation comes from the token. Answers 201 with the new case's suspicion step, its <c>Location</c> and <c>ETag</c>.</remarks>
    private static async Task<IResult> RegisterSuspicionAsync(RegisterSuspicion command, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Created($"/api/v1/cases/{view.CaseId}", view);
    }

    /// <summary>List the cases the caller's organisation takes part in (auditors: all), newest first.</summary>
    /// <param name="status">Only cases in this suspicion-step state.</param>
    /// <param name="municipality">Only cases in this municipality (kommunkod).</param>
    /// <param name="exploitationPurpose">Only cases with this exploitation purpose.</param>
    /// <param name="registeredFrom">Only cases registered at or after this time.</param>
    /// <param name="registeredTo">Only cases registered at or before this time.</param>
    /// <param name="page">Page number, from 1.</param>
    /// <param name="pageSize">Items per page, 1–200.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<CaseList>> ListCasesAsync(
        SuspicionStatus? status,
        string? municipality,
        ExploitationPurpose? exploitationPurpose,
        DateTimeOffset? registeredFrom,
        DateTimeOffset? registeredTo,
        ISender sender,
        CancellationToken ct,
        int page = 1,
        int pageSize = 50) =>
        TypedResults.Ok(await sender.Send(new ListCases(status, municipality, exploitationPurpose, registeredFrom, registeredTo, page, pageSize), ct));

    /// <summary>Read the person record (identifying details) of a case.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<PersonRecordView>> GetPersonRecordAsync(Guid caseId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(new GetPersonRecord(caseId), ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>Correct the person record; replaces all details. Only the names of changed fields enter the case history.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="details">The complete, corrected details.</param>
    /// <param name="ifMatch">The case ETag last seen.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<PersonRecordView>> CorrectPersonRecordAsync(
        Guid caseId, PersonDetails details, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(new CorrectPersonRecord(details) { StreamId = caseId, ExpectedVersion = ETag.ParseIfMatch(ifMatch) }, ct);
        http.Response.Headers.ETag = ETag.From(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>Erase the person record (GDPR erasure); the case history stays under the pseudonymous SubjectId.</summary>
    /// <param name="caseId">The case id.</param>
    /// <param name="ifMatch">The case ETag last seen.</param>
    /// <param name="http">The HTTP context.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<NoContent> ErasePersonRecordAsync(
        Guid caseId, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, ISender sender, CancellationToken ct)
    {
        var version = await sender.Send(new ErasePersonRecord(caseId, ETag.ParseIfMatch(ifMatch)), ct);
        http.Response.Headers.ETag = ETag.From(version);
        return TypedResults.NoContent();
    }

    /// <summary>Record an anonymous consultation (statistics only; never a case).</summary>
    /// <param name="command">The consultation; carries no personal data.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Created<ConsultationView>> RecordConsultationAsync(RecordAnonymousConsultation command, ISender sender, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        return TypedResults.Created($"/api/v1/consultations/{view.Id}", view);
    }

    /// <summary>Count anonymous consultations in a period.</summary>
    /// <param name="from">Start of the period (inclusive).</param>
    /// <param name="to">End of the period (exclusive).</param>
    /// <param name="exploitationPurpose">Only consultations about this exploitation purpose.</param>
    /// <param name="sender">Mediator.</param>
    /// <param name="ct">Cancellation.</param>
    private static async Task<Ok<ConsultationCount>> CountConsultationsAsync(
        DateTimeOffset? from, DateTimeOffset? to, ExploitationPurpose? exploitationPurpose, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new CountConsultations(from, to, exploitationPurpose), ct));
}
