// Drives a short scenario (MANUAL.md §8 SC1 steps 1–5) with the C# client NSwag generates from the API's OpenAPI
// document with default settings, unchanged (issue 16), and checks that nothing was recorded that the scenario did not
// send: no optional enum defaulted to its first value, enum arrays sent as names, nulls in answers read as null.
// Usage: dotnet run -- BASE_URL TOKENS_JSON
using System.Net.Http.Headers;
using Referral.Client;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:4010";
var tokens = Newtonsoft.Json.JsonConvert.DeserializeObject<Dictionary<string, string>>(File.ReadAllText(args.Length > 1 ? args[1] : "tokens.json"))!;
var calls = 0;

ReferralClient As(string orgId)
{
    var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[orgId]);
    return new ReferralClient(http);
}

async Task<T> Call<T>(Task<T> call)
{
    calls++;
    return await call;
}

void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("Check failed: " + what);
    }
}

static string IfMatch(long version) => $"\"{version}\"";

// Every command carries an Idempotency-Key and every call the caller's correlation id, as integrators are asked to.
static string Key() => Guid.NewGuid().ToString();
const string Correlation = "client-check-csharp";

var ngo = As("ngo-cs");
var rko = As("rko-cs");
var soc = As("soc-cs");

// 1. Register without the optional fields (labour sector, person, languages …): none may be sent or recorded.
var registered = await Call(ngo.RegisterSuspicionAsync(Key(), Correlation, new RegisterSuspicion
{
    Channel = ReportingChannel.InPerson,
    MunicipalityCode = "0180",
    AgeCategory = AgeCategory.Adult,
    Gender = Gender.Female,
    Nationality = "NG",
    CitizenshipCategory = CitizenshipCategory.ThirdCountry,
    ResidenceBasis = ResidenceBasis.NoRightOfResidence,
    ExploitationPurposes = [ExploitationPurpose.SexualExploitation],
    MethodsOfControl = [MethodOfControl.WithholdsDocuments, MethodOfControl.DebtBondage],
}));
var caseId = registered.CaseId;
Check(registered.LabourSector is null, "no labour sector was chosen and none is recorded");
Check(registered.ClosureReason is null, "an open case has no closure reason");
Check(registered.ExploitationPurposes.SequenceEqual([ExploitationPurpose.SexualExploitation]), "the enum array arrived as sent");

// 2–4. Consent (an enum array), consultation, declaration.
var consented = await Call(ngo.RecordConsentAsync(caseId, IfMatch(registered.Version), Key(), null, null, Correlation, new RecordConsent
{
    Status = ConsentStatus.Given,
    Scope = [ConsentScope.ReferralToRegionalCoordinator, ConsentScope.ShareWithSocialServices],
    Language = "en",
}));
var consulted = await Call(ngo.RequestCoordinatorConsultationAsync(caseId, IfMatch(consented.Version), Key(), null, null, Correlation,
    new RequestCoordinatorConsultation { CoordinatorOrgId = "rko-cs" }));
var declared = await Call(rko.DeclarePresumedVictimAsync(caseId, IfMatch(consulted.Version), Key(), null, null, Correlation,
    new DeclarePresumedVictim { Assessment = "Debt bondage and confiscated documents; the account is consistent." }));
Check(declared.Status == SuspicionStatus.PresumedVictim, "the case is declared");

// 5. Social services (referred within the consent): a service line, decided; the information checklist.
var participants = await Call(rko.ReferOrganisationAsync(caseId, null, null, XLegalBasis.Necessary_OSL_10_2, "referral for the authority's own task", Correlation,
    new ReferOrganisation { OrgId = "soc-cs", OrgType = OrgType.SocialServices }));
var support = await Call(soc.GetSupportAsync(caseId, null, null, Correlation));
Check(support.Phase == SupportPhase.Acute && support.EndReason is null, "support started on the declaration and has not ended");
var requested = await Call(soc.RequestServiceAsync(caseId, IfMatch(support.Version), Key(), null, null, Correlation,
    new RequestService { Type = ServiceType.ProtectedHousing, ProviderOrgId = "soc-cs" }));
var line = requested.ServiceLines.Single();
Check(line.FundingBasis is null, "an undecided line has no funding basis");
var today = DateTimeOffset.UtcNow.Date;
var decided = await Call(soc.DecideServiceAsync(caseId, IfMatch(requested.Version), Key(), null, null, Correlation, new DecideService
{
    ServiceLineId = line.Id,
    Granted = true,
    FundingBasis = FundingBasis.SoL_4_1,
    DecisionRef = "SOC-CS-1",
    StatuteRef = "SoL 4 kap. 1 §",
    Reimbursable = true,
    From = today,
    To = today.AddDays(30),
    CostAmount = 12000.50,
}));
var informed = await Call(soc.RecordInformationGivenAsync(caseId, IfMatch(decided.Version), Key(), null, null, Correlation, new RecordInformationGiven
{
    Items = [InformationItem.ReflectionPeriod, InformationItem.Interpreter],
    Language = "en",
}));
Check(informed.InformationGiven.SequenceEqual([InformationItem.ReflectionPeriod, InformationItem.Interpreter]), "the checklist items arrived as sent");

// The history holds exactly what was sent: the registration recorded no labour sector.
var history = await Call(rko.GetCaseHistoryAsync(caseId, null, null, null, null, 100, null, null, Correlation));
var first = history.Items.First();
Check(first.Type == "suspicion.suspicion_registered", "the history starts with the registration");
Check(first.Data is Newtonsoft.Json.Linq.JObject data && data["exploitationPurposes"] is not null
    && (data["labourSector"] is null || data["labourSector"]!.Type == Newtonsoft.Json.Linq.JTokenType.Null), "the stored registration has no labour sector");
var overview = await Call(soc.GetCaseOverviewAsync(caseId, null, null, null, null, Correlation));
Check(overview.CaseId == caseId && participants.Participants.Count >= 3, "the overview and participants read back");

Console.WriteLine($"Generated C# client (NSwag): the scenario passed in {calls} calls; nothing was recorded that it did not send.");
