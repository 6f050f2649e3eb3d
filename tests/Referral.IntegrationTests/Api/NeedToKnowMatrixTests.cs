using System.Net;
using System.Text.Json.Nodes;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;

namespace Referral.IntegrationTests.Api;

/// <summary>
/// Need-to-know, table-driven: every case, investigation, claim, outreach-operation and person-record operation — enumerated from the
/// OpenAPI document, so an endpoint without a row fails — × every organisation type × {participant, non-participant,
/// non-participant with a fitting legal basis, with an unfitting one}. Every refusal leaves the store unchanged (the test
/// clients check that, <see cref="NothingAppendedOnRefusal"/>); a need-to-know 404 has the body of an unknown id.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NeedToKnowMatrixTests(ApiFixture api)
{
    private enum Kind { Case, Investigation, Claim, Operation }

    /// <summary>What a fitting legal basis opens to a non-participant, for a read.</summary>
    private enum BasisOpens { Nothing, Case, PersonRecord }

    private sealed record Row(Kind Kind, BasisOpens Opens = BasisOpens.Nothing);

    private enum Relation { Participant, Outsider, FittingBasis, UnfittingBasis }

    private static Row CaseRead => new(Kind.Case, BasisOpens.Case);

    private static Row CaseCommand => new(Kind.Case);

    /// <summary>One row per operation on a case, investigation, claim or person record (MANUAL.md §2, R15; docs/manual/privacy.md).</summary>
    private static readonly Dictionary<string, Row> Rows = new()
    {
        // Case reads: participants and auditors; others under a basis that fits them and the case.
        ["GetCaseOverview"] = CaseRead, ["GetCaseHistory"] = CaseRead, ["VerifyCaseChain"] = CaseRead, ["ExportCaseChain"] = CaseRead,
        ["GetSuspicion"] = CaseRead, ["GetChildSafeguarding"] = CaseRead, ["GetProsecution"] = CaseRead, ["GetResidencePermits"] = CaseRead,
        ["GetSupport"] = CaseRead, ["GetReturn"] = CaseRead, ["GetParticipants"] = CaseRead,
        // The access log is for participants (and auditors) only; the person record under a basis other than NotSecret;
        // its correction history never under a basis.
        ["GetAccessLog"] = new(Kind.Case), ["GetPersonRecord"] = new(Kind.Case, BasisOpens.PersonRecord), ["GetPersonRecordHistory"] = new(Kind.Case),
        // Case commands: participants only (join-case is the entry route, checked below).
        ["RecordConcernReport"] = CaseCommand, ["RecordProtectionAssessment"] = CaseCommand, ["OpenChildInvestigation"] = CaseCommand,
        ["DecideChildMeasure"] = CaseCommand, ["CloseChildOverlay"] = CaseCommand, ["RequestGuardian"] = CaseCommand,
        ["RecordGuardianAppointment"] = CaseCommand, ["RequestSpecialRepresentative"] = CaseCommand,
        ["ReferOrganisation"] = CaseCommand, ["JoinCase"] = CaseCommand,
        ["CorrectPersonRecord"] = CaseCommand, ["ErasePersonRecord"] = CaseCommand, ["SetPersonRecordRestriction"] = CaseCommand,
        ["RecordVictimInterview"] = CaseCommand, ["RequestCounsel"] = CaseCommand, ["RecordCounselAppointment"] = CaseCommand,
        ["RecordSpecialRepresentativeAppointment"] = CaseCommand, ["RecordTestimony"] = CaseCommand, ["CompleteProsecutionTask"] = CaseCommand,
        ["AssessReflectionEligibility"] = CaseCommand, ["SubmitReflectionApplication"] = CaseCommand, ["RecordReflectionDecision"] = CaseCommand, ["CorrectReflectionDecision"] = CaseCommand, ["RetractReflectionDecision"] = CaseCommand,
        ["RequestReflectionExtension"] = CaseCommand, ["RecordReflectionExtensionDecision"] = CaseCommand, ["EndReflectionPeriodEarly"] = CaseCommand,
        ["SubmitCooperationPermitApplication"] = CaseCommand, ["RecordCooperationPermitDecision"] = CaseCommand, ["CorrectCooperationPermitDecision"] = CaseCommand, ["RetractCooperationPermitDecision"] = CaseCommand,
        ["RequestCooperationPermitRenewal"] = CaseCommand, ["RecordCooperationPermitRenewalDecision"] = CaseCommand,
        ["ReportCooperationConditionUnmet"] = CaseCommand, ["ProposeCooperationPermitRevocation"] = CaseCommand, ["RecordCooperationPermitRevocationDecision"] = CaseCommand,
        ["StartSupport"] = CaseCommand, ["StartInitialPhase"] = CaseCommand, ["StartLongTermPhase"] = CaseCommand, ["EndSupport"] = CaseCommand,
        ["RecordInformationGiven"] = CaseCommand, ["RecordRiskAssessment"] = CaseCommand, ["RequestService"] = CaseCommand,
        ["DecideService"] = CaseCommand, ["CorrectServiceDecision"] = CaseCommand, ["RetractServiceDecision"] = CaseCommand, ["StartService"] = CaseCommand, ["EndService"] = CaseCommand,
        ["RecordConsent"] = CaseCommand, ["RequestCoordinatorConsultation"] = CaseCommand, ["RecordIndicatorAssessment"] = CaseCommand,
        ["DeclarePresumedVictim"] = CaseCommand, ["CorrectPresumedVictimDeclaration"] = CaseCommand, ["RetractPresumedVictimDeclaration"] = CaseCommand, ["RecommendPresumedVictim"] = CaseCommand, ["CloseAsNotTrafficking"] = CaseCommand,
        ["MarkContactLost"] = CaseCommand, ["Reopen"] = CaseCommand, ["ReportPersonMissing"] = CaseCommand, ["ReportPersonFound"] = CaseCommand,
        ["SetProtectedIdentity"] = CaseCommand, ["LinkSubject"] = CaseCommand,
        ["RecordReturnInformationGiven"] = CaseCommand, ["RecordReturnInterest"] = CaseCommand, ["PrepareReturnApplication"] = CaseCommand, ["SubmitReturnApplication"] = CaseCommand,
        ["RecordEligibilityDecision"] = CaseCommand, ["RecordPreDepartureAssessment"] = CaseCommand, ["RecordBestInterestsDetermination"] = CaseCommand,
        ["RecordInvestigationLeaderAcknowledgement"] = CaseCommand, ["RecordInvestigationLeaderNotified"] = CaseCommand, ["ArrangeTravel"] = CaseCommand, ["RecordDeparture"] = CaseCommand,
        ["RecordArrival"] = CaseCommand, ["RecordChildHandover"] = CaseCommand, ["StartReintegration"] = CaseCommand,
        ["RecordReintegrationContact"] = CaseCommand, ["CompleteReintegration"] = CaseCommand, ["MarkReintegrationContactLost"] = CaseCommand,
        ["WithdrawFromReturn"] = CaseCommand, ["PutReturnOnHold"] = CaseCommand, ["ResumeReturn"] = CaseCommand,
        // Investigations: their own participants (filed, lead, referred, indicted, try it); auditors read.
        ["GetInvestigation"] = new(Kind.Investigation), ["GetInvestigationHistory"] = new(Kind.Investigation),
        ["OpenPreliminaryInvestigation"] = new(Kind.Investigation), ["StartInvestigativeMeasures"] = new(Kind.Investigation),
        ["LinkCaseToInvestigation"] = new(Kind.Investigation), ["ReferInvestigation"] = new(Kind.Investigation),
        ["CloseInvestigation"] = new(Kind.Investigation), ["Indict"] = new(Kind.Investigation), ["ScheduleTrial"] = new(Kind.Investigation),
        ["RecordJudgment"] = new(Kind.Investigation), ["RecordAppeal"] = new(Kind.Investigation), ["RecordJudgmentFinal"] = new(Kind.Investigation),
        // Claims: the claimant (and Migrationsverket once submitted); auditors read.
        ["GetClaim"] = new(Kind.Claim), ["AddClaimLine"] = new(Kind.Claim), ["RemoveClaimLine"] = new(Kind.Claim), ["SubmitClaim"] = new(Kind.Claim),
        ["WithdrawClaim"] = new(Kind.Claim), ["DecideClaim"] = new(Kind.Claim), ["CorrectClaimDecision"] = new(Kind.Claim), ["RetractClaimDecision"] = new(Kind.Claim), ["RecordClaimPayment"] = new(Kind.Claim),
        // Outreach operations: their participants (police, social services, an NGO that joined); auditors read.
        ["GetOperation"] = new(Kind.Operation), ["RecordPersonsMet"] = new(Kind.Operation), ["CorrectPersonsMet"] = new(Kind.Operation),
        ["RecordChildrenWithoutCase"] = new(Kind.Operation), ["RecordBuyersReported"] = new(Kind.Operation), ["AddOperationParticipant"] = new(Kind.Operation),
        ["CloseOperation"] = new(Kind.Operation), ["ReopenOperation"] = new(Kind.Operation),
    };

    /// <summary>A basis that fits each type and a child's case (R15); NotSecret where none does (it opens case reads only).</summary>
    private static string FittingBasis(OrgType type) => type switch
    {
        OrgType.Police or OrgType.Prosecution => "SeriousCrime_OSL_10_23",
        OrgType.SocialServices or OrgType.HealthCare => "SocHealthMinor_OSL_26_9_25_12",
        _ when BuildingBlocks.Security.Disclosure.IsSwedishAuthority(type) => "Necessary_OSL_10_2",
        _ => "NotSecret",
    };

    /// <summary>A basis that cannot disclose to the type at all.</summary>
    private static string UnfittingBasis(OrgType type) => type switch
    {
        OrgType.Police or OrgType.Prosecution => "SocHealthMinor_OSL_26_9_25_12",
        _ when BuildingBlocks.Security.Disclosure.IsSwedishAuthority(type) => "SeriousCrime_OSL_10_23",
        _ => "Necessary_OSL_10_2",
    };

    private sealed record Operation(string Id, string Method, string Path, IReadOnlySet<OrgType> Allowed, Row Row)
    {
        public bool IsRead => Method == "GET";
    }

    [Fact]
    public async Task Every_operation_answers_each_organisation_type_by_participation()
    {
        var document = JsonNode.Parse(await (await api.Client(null).GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync())!;
        var operations = new List<Operation>();
        foreach (var (path, methods) in document["paths"]!.AsObject())
        {
            if (!path.Contains("{caseId}", StringComparison.Ordinal) && !path.Contains("{investigationId}", StringComparison.Ordinal)
                && !path.Contains("{claimId}", StringComparison.Ordinal) && !path.Contains("{operationId}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (method, node) in methods!.AsObject())
            {
                var id = node!["operationId"]!.GetValue<string>();
                Assert.True(Rows.TryGetValue(id, out var row), $"{id} ({method.ToUpperInvariant()} {path}) has no row in the need-to-know matrix.");
                operations.Add(new Operation(id, method.ToUpperInvariant(), path, AllowedTypes(node["description"]!.GetValue<string>()), row));
            }
        }

        Assert.Equal(Rows.Keys.Order(), operations.Select(o => o.Id).Order());

        // The world: a child's case in which one organisation of every type takes part (a child's case is referred
        // without consent), an investigation the case is linked to, and a municipality's draft claim.
        var types = Enum.GetValues<OrgType>();
        string Member(OrgType t) => "m-" + t.ToString().ToLowerInvariant();
        var police = api.Client(OrgType.Police, Member(OrgType.Police));
        var (caseId, _, _) = await Cases.RegisterAsync(police, new
        {
            channel = "InPerson", municipalityCode = "0180", ageCategory = "Child", gender = "Male", nationality = "MA",
            citizenshipCategory = "ThirdCountry", residenceBasis = "NoRightOfResidence", exploitationPurposes = new[] { "ForcedCriminality" },
            person = new { givenName = Cases.SyntheticGivenName, familyName = Cases.SyntheticFamilyName },
        });
        foreach (var type in types.Where(t => t is not (OrgType.Police or OrgType.Auditor or OrgType.Other)))
        {
            await Cases.ReferAsync(police, caseId, type, Member(type));
        }

        var (investigationId, opened) = await Investigations.OpenAsync(police, caseId);
        var referred = await Investigations.ReferAsync(police, investigationId, OrgType.Prosecution, Member(OrgType.Prosecution), opened);
        await Investigations.ReferAsync(police, investigationId, OrgType.Court, Member(OrgType.Court), referred);
        var claimant = api.Client(OrgType.SocialServices, Member(OrgType.SocialServices));
        var claimId = (await (await claimant.PostJsonAsync("/api/v1/claims", new { year = DateTime.UtcNow.Year, quarter = ((DateTime.UtcNow.Month - 1) / 3) + 1, quarters = 1 }))
            .ExpectAsync(HttpStatusCode.Created)).Str("claimId");
        var operationId = (await (await police.PostJsonAsync("/api/v1/operations", new
        {
            occurredAt = DateTimeOffset.UtcNow.AddHours(-1), municipalityCode = "0180", area = "Norrmalm", placeKinds = new[] { "Street" }, trigger = "Outreach",
            participants = new[] { new { orgId = Member(OrgType.SocialServices), orgType = "SocialServices" }, new { orgId = Member(OrgType.NGO), orgType = "NGO" } },
        })).ExpectAsync(HttpStatusCode.Created)).Str("operationId");

        bool TakesPart(Kind kind, OrgType type) => kind switch
        {
            Kind.Case => type is not (OrgType.Auditor or OrgType.Other),
            Kind.Investigation => type is OrgType.Police or OrgType.Prosecution or OrgType.Court,
            Kind.Operation => type is OrgType.Police or OrgType.SocialServices or OrgType.NGO,
            _ => type == OrgType.SocialServices,
        };

        string Url(Operation op, string? caseOverride = null) => op.Path
            .Replace("{caseId}", caseOverride ?? caseId, StringComparison.Ordinal)
            .Replace("{investigationId}", caseOverride ?? investigationId, StringComparison.Ordinal)
            .Replace("{claimId}", caseOverride ?? claimId, StringComparison.Ordinal)
            .Replace("{operationId}", caseOverride ?? operationId, StringComparison.Ordinal);

        async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, Operation op, string? basis = null, string? id = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(op.Method), Url(op, id));
            if (op.Method is "POST" or "PUT")
            {
                request.Content = System.Net.Http.Json.JsonContent.Create(new { });
            }

            if (op.Method is "PUT" or "DELETE")
            {
                // Replacements and erasures require If-Match (428 without, before anything is looked up).
                request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            }

            if (basis is not null)
            {
                request.Headers.Add("X-Legal-Basis", basis);
                request.Headers.Add("X-Purpose", "matrix check K-2026-000001");
            }

            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json" ? JsonNode.Parse(text) : null);
        }

        var failures = new List<string>();
        // Entry routes and erasure last: they change who takes part and what exists.
        foreach (var op in operations.OrderBy(o => o.Id is "JoinCase" or "ErasePersonRecord").ThenBy(o => o.Id))
        {
            // What a participant of an allowed type gets now (the resource may not exist yet: then 404 for everyone).
            var referenceType = types.FirstOrDefault(t => op.Allowed.Contains(t) && TakesPart(op.Row.Kind, t) && t != OrgType.Auditor);
            var reference = op.IsRead && op.Allowed.Contains(referenceType)
                ? (await SendAsync(api.Client(referenceType, Member(referenceType)), op)).Status
                : (HttpStatusCode?)null;
            var unknown = await SendAsync(api.Client(referenceType, Member(referenceType)), op, id: Guid.CreateVersion7().ToString());

            foreach (var type in types)
            {
                foreach (var relation in Enum.GetValues<Relation>())
                {
                    if (relation == Relation.Participant && !TakesPart(op.Row.Kind, type))
                    {
                        continue;
                    }

                    var prefix = relation switch { Relation.Participant => "m-", Relation.Outsider => "x-", Relation.FittingBasis => "f-", _ => "u-" };
                    var basis = relation switch { Relation.FittingBasis => FittingBasis(type), Relation.UnfittingBasis => UnfittingBasis(type), _ => null };
                    var client = api.Client(type, prefix + type.ToString().ToLowerInvariant());
                    var (status, body) = await SendAsync(client, op, basis);
                    var expected = Expected(op, type, relation, basis, reference);
                    var ok = expected is { } e ? status == e : status is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound) && (int)status < 500;
                    if (!ok)
                    {
                        failures.Add($"{op.Id} by {type} ({relation}{(basis is null ? "" : ", " + basis)}): {(int)status}, expected {(expected is { } x ? ((int)x).ToString(System.Globalization.CultureInfo.InvariantCulture) : "neither 403 nor 404")}");
                    }

                    // A need-to-know 404 is the answer to an unknown id: nothing about the case.
                    if (status == HttpStatusCode.NotFound && reference != HttpStatusCode.NotFound && unknown.Status == HttpStatusCode.NotFound
                        && body?["detail"]?.GetValue<string>() != unknown.Body?["detail"]?.GetValue<string>())
                    {
                        failures.Add($"{op.Id} by {type} ({relation}): the 404 differs from an unknown id's: {body?.ToJsonString()}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} need-to-know failures:\n" + string.Join("\n", failures.Take(60)));

        // After every command by every outsider, only the entry route admitted anyone: the members, and those that joined
        // under a fitting basis. Acting made no one take part.
        var joinable = operations.Single(o => o.Id == "JoinCase").Allowed;
        var expectedParticipants = types.Where(t => TakesPart(Kind.Case, t)).Select(Member)
            .Concat(joinable.Where(t => t != OrgType.Auditor).Select(t => "f-" + t.ToString().ToLowerInvariant()));
        var participants = await (await police.GetAsync($"/api/v1/cases/{caseId}/participants")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(expectedParticipants.Order(), participants["participants"]!.AsArray().Select(p => p!.Str("orgId")).Order());
        Assert.All(participants["participants"]!.AsArray().Where(p => p!.Str("orgId").StartsWith("f-", StringComparison.Ordinal)),
            p => Assert.Equal("JoinedUnderLegalBasis", p!.Str("route")));
    }

    /// <summary>The expected status, or <c>null</c> for "any answer past need-to-know and type" (a participant's command sent with an empty body).</summary>
    private static HttpStatusCode? Expected(Operation op, OrgType type, Relation relation, string? basis, HttpStatusCode? reference)
    {
        var allowed = op.Allowed.Contains(type);
        var caseReadUnderBasis = op.IsRead && op.Row.Kind == Kind.Case && basis is not null;
        if (op.IsRead)
        {
            // Reads: by type first (a type that may never read this revealing nothing about the case), then participation.
            if (relation == Relation.UnfittingBasis && caseReadUnderBasis)
            {
                return HttpStatusCode.Forbidden; // the basis cannot disclose to this type at all
            }

            if (!allowed)
            {
                return HttpStatusCode.Forbidden;
            }

            if (type == OrgType.Auditor || relation == Relation.Participant)
            {
                return reference;
            }

            return relation == Relation.FittingBasis && op.Row.Opens switch
            {
                BasisOpens.Case => true,
                BasisOpens.PersonRecord => basis != "NotSecret",
                _ => false,
            }
                ? reference
                : HttpStatusCode.NotFound;
        }

        // Commands: auditors act on nothing; otherwise participation first (404), then type (403).
        if (type == OrgType.Auditor)
        {
            return HttpStatusCode.Forbidden;
        }

        if (op.Id == "JoinCase")
        {
            return !allowed ? HttpStatusCode.Forbidden : relation switch
            {
                Relation.Participant or Relation.Outsider => HttpStatusCode.BadRequest, // no basis stated: refused before the case is looked at
                Relation.FittingBasis => basis == "NotSecret" ? HttpStatusCode.BadRequest : HttpStatusCode.OK,
                _ => HttpStatusCode.Forbidden, // the basis cannot disclose to this type
            };
        }

        return relation != Relation.Participant ? HttpStatusCode.NotFound : allowed ? null : HttpStatusCode.Forbidden;
    }

    private static IReadOnlySet<OrgType> AllowedTypes(string description)
    {
        const string Marker = "Allowed organisation types (claim `org_type`): ";
        var start = description.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        var end = description.IndexOf('.', start);
        return description[start..end].Split(", ").Where(n => n != "none").Select(Enum.Parse<OrgType>).ToHashSet();
    }
}
