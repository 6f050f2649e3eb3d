// Drives MANUAL.md §8 SC1 (registration → declaration → support → investigation → reflection period → cooperation permit →
// paid claim → final judgment) and SC3 (a child's case) with a client generated from the API's own OpenAPI document
// (openapi-typescript + openapi-fetch), unchanged. In CI every call goes through `prism proxy --errors`, which answers an
// error instead of passing on any request or response that disagrees with the document (issue 16).
// Usage: node scenario.js  (API_BASE = the proxy, TOKENS = a JSON file { orgId: token })
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Schemas = components["schemas"];
const base = process.env.API_BASE ?? "http://127.0.0.1:4010";
const tokens: Record<string, string> = JSON.parse(readFileSync(process.env.TOKENS ?? "tokens.json", "utf8"));
let calls = 0;

/** A client speaking for one organisation (its token from `dotnet user-jwts`). */
function as(orgId: string) {
  const token = tokens[orgId];
  if (!token) throw new Error(`No token for ${orgId}`);
  return createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${token}` } });
}

/** Awaits a call, demands the status, and returns the typed answer with its ETag (the case or stream version). */
async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>, status = 200): Promise<{ data: T; etag: string }> {
  const { data, error, response } = await call;
  calls++;
  const violations = response.headers.get("sl-violations");
  if (violations) throw new Error(`${response.url}: the proxy found violations: ${violations}`);
  if (response.status !== status || data === undefined) {
    throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${JSON.stringify(error)}`);
  }
  return { data, etag: response.headers.get("ETag") ?? "" };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Check failed: ${what}`);
}

const day = (offset = 0, from = new Date()) => new Date(from.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const months = (n: number) => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};
const osl = { "X-Legal-Basis": "Necessary_OSL_10_2", "X-Purpose": "referral for the authority's own task" } as const;

async function sc1(): Promise<void> {
  const ngo = as("ngo-sc1"), rko = as("rko-sc1"), soc = as("soc-sc1"), pol = as("pol-sc1");
  const akl = as("akl-sc1"), court = as("court-sc1"), miv = as("miv-sc1");

  // 1. The NGO registers the suspicion (no person record: the case names a pseudonymous subject).
  const registration: Schemas["RegisterSuspicion"] = {
    channel: "InPerson", municipalityCode: "0180", ageCategory: "Adult", gender: "Female", nationality: "NG",
    citizenshipCategory: "ThirdCountry", residenceBasis: "NoRightOfResidence", exploitationPurposes: ["SexualExploitation"],
    methodsOfControl: ["WithholdsDocuments", "DebtBondage", "Threats"],
  };
  const registered = await ok(ngo.POST("/api/v1/cases", { body: registration }), 201);
  const caseId = registered.data.caseId!;
  check(registered.data.labourSector === null || registered.data.labourSector === undefined, "no labour sector was chosen, none is recorded");
  const path = { caseId };

  // 2–4. Consent, consultation, declaration.
  let v = (await ok(ngo.POST("/api/v1/cases/{caseId}/suspicion/record-consent", {
    params: { path, header: { "If-Match": registered.etag } },
    body: { status: "Given", scope: ["ReferralToRegionalCoordinator", "ShareWithPolice"], language: "en" },
  }))).etag;
  v = (await ok(ngo.POST("/api/v1/cases/{caseId}/suspicion/request-coordinator-consultation", {
    params: { path, header: { "If-Match": v } }, body: { coordinatorOrgId: "rko-sc1" },
  }))).etag;
  const declared = await ok(rko.POST("/api/v1/cases/{caseId}/suspicion/declare-presumed-victim", {
    params: { path, header: { "If-Match": v } }, body: { assessment: "Debt bondage and confiscated documents; the account is consistent." },
  }));
  check(declared.data.status === "PresumedVictim", "the case is declared a presumed victim");

  // The coordinator brings in social services, the police, the prosecutor and Migrationsverket (OSL 10:2).
  for (const [orgId, orgType] of [["soc-sc1", "SocialServices"], ["pol-sc1", "Police"], ["akl-sc1", "Prosecution"], ["miv-sc1", "MigrationAgency"]] as const) {
    await ok(rko.POST("/api/v1/cases/{caseId}/participants/refer-organisation", { params: { path, header: osl }, body: { orgId, orgType } }));
  }

  // 5. Social services: protected housing (SoL 4:1, reimbursable), the information checklist; police: a risk assessment.
  const support = await ok(soc.GET("/api/v1/cases/{caseId}/support", { params: { path } }));
  check(support.data.phase === "Acute", "support started on the declaration");
  const requested = await ok(soc.POST("/api/v1/cases/{caseId}/support/request-service", {
    params: { path, header: { "If-Match": support.etag } }, body: { type: "ProtectedHousing", providerOrgId: "soc-sc1" },
  }));
  const housing = requested.data.serviceLines!.find((l) => l.type === "ProtectedHousing")!.id!;
  check(requested.data.serviceLines!.every((l) => l.fundingBasis == null), "an undecided service line has no funding basis");
  v = (await ok(soc.POST("/api/v1/cases/{caseId}/support/decide-service", {
    params: { path, header: { "If-Match": requested.etag } },
    body: {
      serviceLineId: housing, granted: true, fundingBasis: "SoL_4_1", decisionRef: "SOC-SC1-1", statuteRef: "SoL 4 kap. 1 §",
      reimbursable: true, from: day(), to: day(60), costAmount: 60000,
    },
  }))).etag;
  const informed = await ok(soc.POST("/api/v1/cases/{caseId}/support/record-information-given", {
    params: { path, header: { "If-Match": v } },
    body: { items: ["RightsInCriminalProcess", "TemporaryResidencePermit", "ReflectionPeriod", "Damages", "Interpreter", "FreeLegalCounsel", "VoluntaryReturn", "SupportOrganisations", "HealthCareAccess"], language: "en" },
  }));
  check(informed.data.informationNotYetGiven!.length === 0, "every checklist item was given");
  await ok(pol.POST("/api/v1/cases/{caseId}/support/record-risk-assessment", {
    params: { path, header: { "If-Match": informed.etag } }, body: { level: "High", reviewBy: day(30) },
  }));

  // 6. The police report; the prosecutor leads the preliminary investigation; the victim is linked as injured party.
  const report = await ok(pol.POST("/api/v1/investigations", { body: { reportRef: "5000-K100001-26", suspectedOffences: ["BrB_4_1a_Trafficking"] } }), 201);
  const investigationId = report.data.investigationId!;
  const fu = { investigationId };
  let iv = (await ok(pol.POST("/api/v1/investigations/{investigationId}/refer-investigation", {
    params: { path: fu, header: { "If-Match": report.etag } }, body: { orgId: "akl-sc1", orgType: "Prosecution" },
  }))).etag;
  const opened = await ok(akl.POST("/api/v1/investigations/{investigationId}/open-preliminary-investigation", { params: { path: fu, header: { "If-Match": iv } }, body: {} }));
  check(opened.data.leaderRole === "Prosecutor", "the prosecutor leads the investigation");
  iv = (await ok(pol.POST("/api/v1/investigations/{investigationId}/link-case-to-investigation", {
    params: { path: fu, header: { "If-Match": opened.etag } }, body: { caseId, role: "InjuredParty" },
  }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/refer-investigation", {
    params: { path: fu, header: { "If-Match": iv } }, body: { orgId: "court-sc1", orgType: "Court" },
  }))).etag;

  // 7. Counsel requested and appointed before the interview.
  await ok(akl.POST("/api/v1/cases/{caseId}/prosecution/request-counsel", { params: { path }, body: { investigationId } }));
  await ok(court.POST("/api/v1/cases/{caseId}/prosecution/record-counsel-appointment", { params: { path }, body: { investigationId, courtOrgId: "court-sc1" } }));
  const interviewed = await ok(pol.POST("/api/v1/cases/{caseId}/prosecution/record-victim-interview", {
    params: { path }, body: { investigationId, interpreterPresent: true, counselPresent: true },
  }));
  check(interviewed.data.participations![0]!.participation!.interviewed === true, "the victim was interviewed with counsel");

  // 8. The investigation leader applies for a reflection period; Migrationsverket grants 30 days.
  const rfl = await ok(akl.GET("/api/v1/cases/{caseId}/reflection-period", { params: { path } }));
  v = (await ok(akl.POST("/api/v1/cases/{caseId}/reflection-period/assess-reflection-eligibility", {
    params: { path, header: { "If-Match": rfl.etag } }, body: { personWishesReflection: true },
  }))).etag;
  const submitted = await ok(akl.POST("/api/v1/cases/{caseId}/reflection-period/submit-reflection-application", {
    params: { path, header: { "If-Match": v } }, body: { preliminaryInvestigationId: investigationId },
  }));
  check(submitted.data.nextDeadline?.kind === "DecisionDue", "the decision is due");
  const granted = await ok(miv.POST("/api/v1/cases/{caseId}/reflection-period/record-reflection-decision", {
    params: { path, header: { "If-Match": submitted.etag } },
    body: { applicationId: submitted.data.reflection!.applicationId!, outcome: "Granted", decisionRef: "MIG-RP-SC1", validFrom: day(), validTo: day(29) },
  }));
  check(granted.data.reflection!.status === "Active", "the reflection period runs");

  // 9–10. The cooperation permit: applied for, the reflection period converts, granted for six months.
  const applied = await ok(akl.POST("/api/v1/cases/{caseId}/reflection-period/submit-cooperation-permit-application", {
    params: { path, header: { "If-Match": granted.etag } },
    body: { preliminaryInvestigationId: investigationId, neededForInvestigationOrTrial: true, clearWillingnessToCooperate: true, brokenTiesWithSuspects: true, noPublicOrderObjection: true },
  }));
  const permit = await ok(miv.POST("/api/v1/cases/{caseId}/reflection-period/record-cooperation-permit-decision", {
    params: { path, header: { "If-Match": applied.etag } },
    body: { applicationId: applied.data.cooperationPermit!.applicationId!, outcome: "Granted", decisionRef: "MIG-TUT-SC1", validFrom: day(), validTo: months(6) },
  }));
  check(permit.data.cooperationPermit!.status === "Active", "the cooperation permit runs");

  // 11. The municipality claims this quarter's housing; Migrationsverket decides and pays.
  const now = new Date();
  const claim = await ok(soc.POST("/api/v1/claims", { body: { year: now.getUTCFullYear(), quarter: Math.floor(now.getUTCMonth() / 3) + 1, quarters: 1 } }), 201);
  const claimId = claim.data.claimId!;
  const lined = await ok(soc.POST("/api/v1/claims/{claimId}/add-claim-line", {
    params: { path: { claimId }, header: { "If-Match": claim.etag } },
    body: { caseId, serviceLineId: housing, costType: "SoL_4_1", from: day(), to: day(), amount: 1000.5 },
  }));
  const sent = await ok(soc.POST("/api/v1/claims/{claimId}/submit-claim", { params: { path: { claimId }, header: { "If-Match": lined.etag } }, body: {} }));
  const decided = await ok(miv.POST("/api/v1/claims/{claimId}/decide-claim", {
    params: { path: { claimId }, header: { "If-Match": sent.etag } },
    body: { decisionRef: "MIG-ERS-SC1", lines: [{ lineId: sent.data.lines![0]!.lineId!, approvedAmount: 1000 }] },
  }));
  check(decided.data.outcome === "PartiallyApproved", "part of the line was approved");
  const paid = await ok(miv.POST("/api/v1/claims/{claimId}/record-claim-payment", { params: { path: { claimId }, header: { "If-Match": decided.etag } }, body: { paidOn: day() } }));
  check(paid.data.status === "Paid", "the claim is paid");

  // 12–13. Indictment, trial, judgment, appeal, appeal judgment, and the judgment becomes final.
  iv = (await ok(akl.GET("/api/v1/investigations/{investigationId}", { params: { path: fu } }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/start-investigative-measures", { params: { path: fu, header: { "If-Match": iv } }, body: {} }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/indict", {
    params: { path: fu, header: { "If-Match": iv } }, body: { defendants: [{ defendantRef: "D-1", offences: ["BrB_4_1a_Trafficking"] }] },
  }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/schedule-trial", {
    params: { path: fu, header: { "If-Match": iv } }, body: { courtOrgId: "court-sc1", hearingDate: day() },
  }))).etag;
  const outcome = (sentenceMonths: number): Schemas["RecordJudgment"] => ({
    courtOrgId: "court-sc1", damagesAwarded: true, judgmentDate: day(),
    outcomes: [{ defendantRef: "D-1", verdict: "Convicted", offence: "BrB_4_1a_Trafficking", sentenceMonths }],
  });
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/record-judgment", { params: { path: fu, header: { "If-Match": iv } }, body: outcome(48) }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/record-appeal", { params: { path: fu, header: { "If-Match": iv } }, body: { appealedBy: "Defence" } }))).etag;
  iv = (await ok(akl.POST("/api/v1/investigations/{investigationId}/record-judgment", { params: { path: fu, header: { "If-Match": iv } }, body: outcome(42) }))).etag;
  const final = await ok(court.POST("/api/v1/investigations/{investigationId}/record-judgment-final", { params: { path: fu, header: { "If-Match": iv } }, body: { finalOn: day() } }));
  check(final.data.status === "Final", "the judgment is final");

  // Every read of the case, as its participants see it.
  const overview = await ok(pol.GET("/api/v1/cases/{caseId}", { params: { path } }));
  check(overview.etag !== "", "the overview carries the case version");
  await ok(pol.GET("/api/v1/cases/{caseId}/suspicion", { params: { path } }));
  await ok(pol.GET("/api/v1/cases/{caseId}/prosecution", { params: { path } }));
  await ok(soc.GET("/api/v1/cases/{caseId}/voluntary-return", { params: { path } }));
  await ok(soc.GET("/api/v1/cases/{caseId}/participants", { params: { path } }));
  const history = await ok(rko.GET("/api/v1/cases/{caseId}/events", { params: { path, query: { pageSize: 200 } } }));
  check(history.data.items!.length > 30, "the history holds every act");
  await ok(rko.GET("/api/v1/cases", { params: { query: { pageSize: 10 } } }));
  await ok(miv.GET("/api/v1/claims/{claimId}", { params: { path: { claimId } } }));
  await ok(akl.GET("/api/v1/investigations", {}));
  await ok(miv.GET("/api/v1/deadlines", {}));
}

async function sc3(): Promise<void> {
  const pol = as("pol-sc3"), soc = as("soc-sc3");

  // 1. The police register a boy whose age is disputed (treated as a child).
  const registered = await ok(pol.POST("/api/v1/cases", {
    body: {
      channel: "InPerson", municipalityCode: "0180", ageCategory: "AgeDisputedTreatedAsChild", gender: "Male", nationality: "MA",
      citizenshipCategory: "ThirdCountry", residenceBasis: "NoRightOfResidence", exploitationPurposes: ["ForcedCriminality"],
      indicators: ["InvolvedInCrimeOrNetworks", "ControlledByFrequentCaller"],
    },
  }), 201);
  const caseId = registered.data.caseId!;
  const path = { caseId };
  const required = await ok(pol.GET("/api/v1/cases/{caseId}/child-safeguarding", { params: { path } }));
  check(required.data.status === "ConcernReportRequired", "a child's case requires a concern report");

  // 2–3. Concern report to social services; the protection assessment, immediate custody (LVU 6 §), a god man.
  let v = (await ok(pol.POST("/api/v1/cases/{caseId}/suspicion/record-indicator-assessment", {
    params: { path, header: { "If-Match": required.etag } }, body: { methodsOfControl: ["UsesChildren"] },
  }))).etag;
  v = (await ok(pol.POST("/api/v1/cases/{caseId}/child-safeguarding/record-concern-report", { params: { path, header: { "If-Match": v } }, body: { socialServicesOrgId: "soc-sc3" } }))).etag;
  v = (await ok(soc.POST("/api/v1/cases/{caseId}/child-safeguarding/record-protection-assessment", { params: { path, header: { "If-Match": v } }, body: { immediateProtectionNeeded: true } }))).etag;
  v = (await ok(soc.POST("/api/v1/cases/{caseId}/child-safeguarding/decide-child-measure", { params: { path, header: { "If-Match": v } }, body: { measure: "ImmediateCustodyLvu6", decisionRef: "SOC-LVU-SC3" } }))).etag;
  v = (await ok(soc.POST("/api/v1/cases/{caseId}/child-safeguarding/request-guardian", { params: { path, header: { "If-Match": v } }, body: { separatedFromBothParents: true } }))).etag;
  const guardian = await ok(soc.POST("/api/v1/cases/{caseId}/child-safeguarding/record-guardian-appointment", { params: { path, header: { "If-Match": v } }, body: { appointedOn: day() } }));
  check(guardian.data.guardian === "Appointed", "a god man is appointed");

  // 4. Social services declare (no consent is needed for a child).
  const declared = await ok(soc.POST("/api/v1/cases/{caseId}/suspicion/declare-presumed-victim", {
    params: { path, header: { "If-Match": guardian.etag } }, body: { assessment: "Forced criminality of a child." },
  }));
  check(declared.data.status === "PresumedVictim", "the child is declared a presumed victim");

  // 7–8. The boy absconds and is found.
  v = (await ok(soc.POST("/api/v1/cases/{caseId}/suspicion/report-person-missing", { params: { path, header: { "If-Match": declared.etag } }, body: {} }))).etag;
  const missing = await ok(soc.GET("/api/v1/cases/{caseId}/child-safeguarding", { params: { path } }));
  check(missing.data.missing === true, "the child is missing");
  await ok(soc.POST("/api/v1/cases/{caseId}/suspicion/report-person-found", { params: { path, header: { "If-Match": v } }, body: {} }));
  await ok(soc.GET("/api/v1/cases/{caseId}", { params: { path } }));
  await ok(soc.GET("/api/v1/cases/{caseId}/support", { params: { path } }));
}

await sc1();
await sc3();
console.log(`Generated TypeScript client: SC1 and SC3 passed in ${calls} calls, with no contract violation.`);
