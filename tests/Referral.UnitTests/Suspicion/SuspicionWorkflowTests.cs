using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion;
using static Referral.Modules.Suspicion.SuspicionWorkflow;

namespace Referral.UnitTests.Suspicion;

/// <summary>The suspicion step's machine (MANUAL.md §4.1): every state × trigger, and every guard.</summary>
public sealed class SuspicionWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Coordinator = new("u-rko", "rko-1", OrgType.RegionalCoordinator, null);
    private static readonly Actor Reporter = new("u-ngo", "ngo-1", OrgType.NGO, null);
    private static readonly Actor OtherNgo = new("u-ngo2", "ngo-2", OrgType.NGO, null);
    private static readonly Actor SocialServices = new("u-soc", "soc-1", OrgType.SocialServices, null);

    /// <summary>Each command to its decider, as the handler's lines do.</summary>
    internal static IReadOnlyList<object> Decide(SuspicionState state, Actor actor, object command, DateTimeOffset now)
    {
        var w = new SuspicionWorkflow(state, actor, now);
        return command switch
        {
            RecordConsent c => w.RecordConsent(c),
            RequestCoordinatorConsultation c => w.RequestCoordinatorConsultation(c),
            RecordIndicatorAssessment c => w.RecordIndicatorAssessment(c),
            DeclarePresumedVictim c => w.DeclarePresumedVictim(c),
            RecommendPresumedVictim c => w.RecommendPresumedVictim(c),
            CloseAsNotTrafficking c => w.CloseAsNotTrafficking(c),
            MarkContactLost c => w.MarkContactLost(c),
            Reopen c => w.Reopen(c),
            CorrectPresumedVictimDeclaration c => w.CorrectPresumedVictimDeclaration(c),
            RetractPresumedVictimDeclaration c => w.RetractPresumedVictimDeclaration(c),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    /// <summary>A valid command for each trigger (all command-data guards satisfied).</summary>
    private static object ValidCommand(SuspicionTrigger trigger) => trigger switch
    {
        SuspicionTrigger.RecordConsent => new RecordConsent(ConsentStatus.Given, [ConsentScope.ReferralToRegionalCoordinator], "en", false),
        SuspicionTrigger.RequestCoordinatorConsultation => new RequestCoordinatorConsultation("rko-1"),
        SuspicionTrigger.RecordIndicatorAssessment => new RecordIndicatorAssessment([Indicator.NoOrFalseIdDocuments], [], [], null),
        SuspicionTrigger.DeclarePresumedVictim => new DeclarePresumedVictim("Overall assessment.", null, null),
        SuspicionTrigger.RecommendPresumedVictim => new RecommendPresumedVictim("Please assess."),
        SuspicionTrigger.CloseAsNotTrafficking => new CloseAsNotTrafficking(ClosureReason.NoIndicators, "No indicators."),
        SuspicionTrigger.MarkContactLost => new MarkContactLost(null),
        SuspicionTrigger.CorrectPresumedVictimDeclaration => new CorrectPresumedVictimDeclaration(AgeCategory.Adult, [ExploitationPurpose.ForcedLabour], "Purpose recorded wrong."),
        SuspicionTrigger.RetractPresumedVictimDeclaration => new RetractPresumedVictimDeclaration("Declared on the wrong case."),
        SuspicionTrigger.Reopen => new Reopen("New information."),
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    /// <summary>An adult case with consent to referral, purposes and age known, reported by ngo-1, in <paramref name="status"/>.</summary>
    private static SuspicionState Case(SuspicionStatus status, Action<SuspicionStateBuilder>? change = null)
    {
        var builder = new SuspicionStateBuilder(new SuspicionState
        {
            Id = Guid.CreateVersion7(),
            SubjectId = Guid.CreateVersion7(),
            Version = 3,
            Status = status,
            ReportingOrgId = "ngo-1",
            ReportingOrgType = OrgType.NGO,
            AgeCategory = AgeCategory.Adult,
            ExploitationPurposes = [ExploitationPurpose.SexualExploitation],
            ConsentStatus = ConsentStatus.Given,
            ConsentScope = [ConsentScope.ReferralToRegionalCoordinator],
            Participants = ["ngo-1"],
            DeclaredByOrgId = status == SuspicionStatus.PresumedVictim ? "rko-1" : null,
        });
        change?.Invoke(builder);
        return builder.State;
    }

    public sealed class SuspicionStateBuilder(SuspicionState state)
    {
        public SuspicionState State { get; set; } = state;
    }

    /// <summary>The specification (MANUAL.md §4.1): which triggers each state permits, and where they lead.</summary>
    private static readonly Dictionary<(SuspicionStatus, SuspicionTrigger), SuspicionStatus> Permitted = new()
    {
        [(SuspicionStatus.Registered, SuspicionTrigger.RecordConsent)] = SuspicionStatus.Registered,
        [(SuspicionStatus.Registered, SuspicionTrigger.RequestCoordinatorConsultation)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.Registered, SuspicionTrigger.RecordIndicatorAssessment)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.Registered, SuspicionTrigger.MarkContactLost)] = SuspicionStatus.ContactLost,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.RecordConsent)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.RequestCoordinatorConsultation)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.RecordIndicatorAssessment)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.DeclarePresumedVictim)] = SuspicionStatus.PresumedVictim,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.RecommendPresumedVictim)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.CloseAsNotTrafficking)] = SuspicionStatus.NotTrafficking,
        [(SuspicionStatus.UnderAssessment, SuspicionTrigger.MarkContactLost)] = SuspicionStatus.ContactLost,
        [(SuspicionStatus.PresumedVictim, SuspicionTrigger.RecordConsent)] = SuspicionStatus.PresumedVictim,
        [(SuspicionStatus.PresumedVictim, SuspicionTrigger.MarkContactLost)] = SuspicionStatus.ContactLost,
        // R20: the declaring organisation corrects or retracts its declaration (compensating events, never updates).
        [(SuspicionStatus.PresumedVictim, SuspicionTrigger.CorrectPresumedVictimDeclaration)] = SuspicionStatus.PresumedVictim,
        [(SuspicionStatus.PresumedVictim, SuspicionTrigger.RetractPresumedVictimDeclaration)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.NotTrafficking, SuspicionTrigger.Reopen)] = SuspicionStatus.UnderAssessment,
        [(SuspicionStatus.ContactLost, SuspicionTrigger.Reopen)] = SuspicionStatus.UnderAssessment,
    };

    public static TheoryData<SuspicionStatus, SuspicionTrigger> PermittedTransitions() => TransitionTable.Allowed(Permitted);

    public static TheoryData<SuspicionStatus, SuspicionTrigger> RefusedTransitions() => TransitionTable.Refused(Permitted);

    [Theory]
    [MemberData(nameof(PermittedTransitions))]
    public void Permitted_transition_produces_one_event_that_lands_in_the_specified_state(SuspicionStatus from, SuspicionTrigger trigger)
    {
        var state = Case(from);
        var events = Decide(state, Coordinator, ValidCommand(trigger), Now);

        var evt = Assert.Single(events);
        var after = SuspicionState.Fold(state, evt, new EventInfo(state.Version + 1, Now, Coordinator.OrgId))!;
        Assert.Equal(Permitted[(from, trigger)], after.Status);
        Assert.Equal(state.Version + 1, after.Version);
        // Acting never makes an organisation take part; only an admitting event (here: the coordinator consulted) does.
        IReadOnlyList<string> admitted = evt is CoordinatorConsulted consulted && !state.Participants.Contains(consulted.CoordinatorOrgId) ? [consulted.CoordinatorOrgId] : [];
        Assert.Equal([.. state.Participants, .. admitted], after.Participants);
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void Refused_transition_throws_a_violation_naming_state_action_and_allowed_actions(SuspicionStatus from, SuspicionTrigger trigger)
    {
        var state = Case(from);
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, ValidCommand(trigger), Now));

        Assert.Equal("suspicion", violation.Step);
        Assert.Equal(from.ToString(), violation.CurrentState);
        Assert.Equal(trigger.ToString(), violation.AttemptedAction);
        Assert.Empty(violation.UnmetGuards);
        var expectedAllowed = Permitted.Keys
            .Where(k => k.Item1 == from && AllowedOrganisations.IsAllowed(ValidCommand(k.Item2).GetType(), Coordinator.OrgType))
            .Select(k => k.Item2.ToString()).Order().ToArray();
        Assert.Equal(expectedAllowed, violation.AllowedActions.Order().ToArray());
    }

    [Fact]
    public void Consent_is_refused_for_a_child()
    {
        var child = Case(SuspicionStatus.Registered, b => b.State = b.State with { AgeCategory = AgeCategory.Child, ConsentStatus = ConsentStatus.NotRequiredChild });
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(child, Coordinator, ValidCommand(SuspicionTrigger.RecordConsent), Now));
        Assert.Equal([Guards.Adult], violation.UnmetGuards);
    }

    [Fact]
    public void Consent_may_be_recorded_by_the_reporter_social_services_or_a_coordinator_only()
    {
        var state = Case(SuspicionStatus.Registered);
        var command = ValidCommand(SuspicionTrigger.RecordConsent);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(state, OtherNgo, command, Now));
        Assert.Equal([Guards.ConsentRecorder], violation.UnmetGuards);

        Assert.Single(Decide(state, Reporter, command, Now));
        Assert.Single(Decide(state, SocialServices, command, Now));
    }

    public static TheoryData<string, ConsentStatus, ConsentScope[]> ConsentWithoutReferral => new()
    {
        { "not asked", ConsentStatus.NotAsked, [] },
        { "refused", ConsentStatus.Refused, [] },
        { "withdrawn", ConsentStatus.Withdrawn, [ConsentScope.ReferralToRegionalCoordinator] },
        { "given, other scope", ConsentStatus.Given, [ConsentScope.ShareWithPolice] },
    };

    [Theory]
    [MemberData(nameof(ConsentWithoutReferral))]
    public void Coordinator_referral_of_an_adult_needs_consent_covering_it(string why, ConsentStatus status, ConsentScope[] scope)
    {
        var state = Case(SuspicionStatus.Registered, b => b.State = b.State with { ConsentStatus = status, ConsentScope = scope });
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Reporter, ValidCommand(SuspicionTrigger.RequestCoordinatorConsultation), Now));
        Assert.True(violation.UnmetGuards.SequenceEqual([Guards.ReferralConsent]), why);
    }

    [Fact]
    public void Coordinator_referral_of_an_adult_of_unknown_age_also_needs_consent()
    {
        var state = Case(SuspicionStatus.Registered, b => b.State = b.State with { AgeCategory = null, ConsentStatus = ConsentStatus.NotAsked, ConsentScope = [] });
        Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Reporter, ValidCommand(SuspicionTrigger.RequestCoordinatorConsultation), Now));
    }

    [Fact]
    public void Coordinator_consultation_for_a_child_needs_no_consent_and_is_pseudonymised()
    {
        var child = Case(SuspicionStatus.Registered, b => b.State = b.State with
        {
            AgeCategory = AgeCategory.AgeDisputedTreatedAsChild, ConsentStatus = ConsentStatus.NotRequiredChild, ConsentScope = [],
        });
        var consulted = Assert.IsType<CoordinatorConsulted>(Assert.Single(
            Decide(child, Reporter, ValidCommand(SuspicionTrigger.RequestCoordinatorConsultation), Now)));
        Assert.True(consulted.PseudonymisedOnly);
        Assert.Equal(SuspicionStatus.UnderAssessment, consulted.Status);
    }

    [Fact]
    public void Indicator_assessment_needs_an_indicator_a_method_of_control_or_a_narrative()
    {
        var state = Case(SuspicionStatus.UnderAssessment);
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, new RecordIndicatorAssessment([], [], [], "  "), Now));
        Assert.Equal([Guards.AssessmentContent], violation.UnmetGuards);

        Assert.Single(Decide(state, Coordinator, new RecordIndicatorAssessment([], [], [], "No indicators seen."), Now));
        Assert.Single(Decide(state, Coordinator, new RecordIndicatorAssessment(null, [MethodOfControl.Threats], null, null), Now));
    }

    [Fact]
    public void Declaration_needs_an_exploitation_purpose_on_the_case_or_in_the_command()
    {
        var state = Case(SuspicionStatus.UnderAssessment, b => b.State = b.State with { ExploitationPurposes = [] });
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, new DeclarePresumedVictim("Assessment.", null, []), Now));
        Assert.Equal([Guards.ExploitationPurpose], violation.UnmetGuards);

        var declared = Assert.IsType<PresumedVictimDeclared>(Assert.Single(
            Decide(state, Coordinator, new DeclarePresumedVictim("Assessment.", null, [ExploitationPurpose.ForcedLabour]), Now)));
        Assert.Equal([ExploitationPurpose.ForcedLabour], declared.ExploitationPurposes);
    }

    [Fact]
    public void Declaration_needs_the_age_category_on_the_case_or_in_the_command()
    {
        var state = Case(SuspicionStatus.UnderAssessment, b => b.State = b.State with { AgeCategory = null });
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, new DeclarePresumedVictim("Assessment.", null, null), Now));
        Assert.Equal([Guards.AgeCategory], violation.UnmetGuards);

        var declared = Assert.IsType<PresumedVictimDeclared>(Assert.Single(
            Decide(state, SocialServices, new DeclarePresumedVictim("Assessment.", AgeCategory.Child, null), Now)));
        Assert.Equal(AgeCategory.Child, declared.AgeCategory);
        var after = SuspicionState.Fold(state, declared, new EventInfo(4, Now, "rko-1"))!;
        Assert.Equal(ConsentStatus.NotRequiredChild, after.ConsentStatus);
    }

    [Theory]
    [InlineData(AgeCategory.Child)]
    [InlineData(AgeCategory.AgeDisputedTreatedAsChild)]
    public void A_childs_case_is_declared_only_with_social_services_taking_part_R13(AgeCategory age)
    {
        var child = Case(SuspicionStatus.UnderAssessment, b => b.State = b.State with { AgeCategory = age, ParticipantTypes = [OrgType.NGO, OrgType.RegionalCoordinator] });
        var command = new DeclarePresumedVictim("Assessment.", null, null);
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(child, Coordinator, command, Now));
        Assert.Equal([Guards.ChildSocialServices], violation.UnmetGuards);

        Assert.Single(Decide(child, SocialServices, command, Now));
        var withSocial = child with { ParticipantTypes = [.. child.ParticipantTypes, OrgType.SocialServices] };
        Assert.Single(Decide(withSocial, Coordinator, command, Now));
    }

    [Fact]
    public void Acting_admits_no_one_and_a_referral_admits_the_referred_organisation()
    {
        var state = Case(SuspicionStatus.Registered);
        var acted = SuspicionState.Fold(state, new ContactMarkedLost(state.Id, null, Now, SuspicionStatus.ContactLost),
            new EventInfo(4, Now, "soc-1", OrgType.SocialServices))!;
        Assert.Equal(state.Participants, acted.Participants);
        Assert.Equal(state.ParticipantTypes, acted.ParticipantTypes);

        var referred = SuspicionState.Fold(acted, new OrganisationReferred(state.Id, "soc-1", OrgType.SocialServices, Now),
            new EventInfo(5, Now, state.ReportingOrgId, state.ReportingOrgType))!;
        Assert.Equal([.. state.Participants, "soc-1"], referred.Participants);
        Assert.Contains(OrgType.SocialServices, referred.ParticipantTypes);
        var participant = Assert.Single(referred.Participations, p => p.OrgId == "soc-1");
        Assert.Equal((OrgType.SocialServices, ParticipationRoute.Referred, Now), (participant.OrgType, participant.Route, participant.Since));

        // Referring again admits nothing new.
        var again = SuspicionState.Fold(referred, new OrganisationReferred(state.Id, "soc-1", OrgType.SocialServices, Now), new EventInfo(6, Now))!;
        Assert.Equal(referred.Participations, again.Participations);
    }

    [Fact]
    public void Both_unmet_declaration_guards_are_reported_together()
    {
        var state = Case(SuspicionStatus.UnderAssessment, b => b.State = b.State with { AgeCategory = null, ExploitationPurposes = [] });
        var violation = Assert.Throws<WorkflowViolationException>(() =>
            Decide(state, Coordinator, new DeclarePresumedVictim("Assessment.", null, null), Now));
        Assert.Equal(new[] { Guards.AgeCategory, Guards.ExploitationPurpose }.Order(), violation.UnmetGuards.Order());
    }

    [Fact]
    public void Allowed_actions_follow_the_organisation_type()
    {
        var state = Case(SuspicionStatus.UnderAssessment);
        var ngo = new SuspicionWorkflow(state, Reporter).AllowedActions();
        Assert.Contains(SuspicionTrigger.RecommendPresumedVictim, ngo);
        Assert.DoesNotContain(SuspicionTrigger.DeclarePresumedVictim, ngo);
        Assert.DoesNotContain(SuspicionTrigger.CloseAsNotTrafficking, ngo);

        var coordinator = new SuspicionWorkflow(state, Coordinator).AllowedActions();
        Assert.Contains(SuspicionTrigger.DeclarePresumedVictim, coordinator);
        Assert.DoesNotContain(SuspicionTrigger.RecommendPresumedVictim, coordinator);

        var auditor = new SuspicionWorkflow(state, new Actor("a", "aud", OrgType.Auditor, null)).AllowedActions();
        Assert.Empty(auditor);
    }

    [Fact]
    public void Registration_and_replay_rebuild_the_state_the_decider_reported()
    {
        var caseId = Guid.CreateVersion7();
        var registered = new SuspicionRegistered(caseId, Guid.CreateVersion7(), Now, "ngo-1", OrgType.NGO, ReportingChannel.InPerson, "0180",
            AgeCategory.Adult, Gender.Female, "NG", CitizenshipCategory.ThirdCountry, ResidenceBasis.NoRightOfResidence, ["en"], false,
            [ExploitationPurpose.SexualExploitation], null, [], [MethodOfControl.DebtBondage], [], null, ConsentStatus.NotAsked);
        var state = SuspicionState.Fold(null, registered, new EventInfo(1, Now, "ngo-1"))!;
        Assert.Equal(SuspicionStatus.Registered, state.Status);
        Assert.Equal(["ngo-1"], state.Participants);

        var history = new List<object> { registered };
        foreach (var (actor, command) in new (Actor, object)[]
        {
            (Reporter, ValidCommand(SuspicionTrigger.RecordConsent)),
            (Reporter, ValidCommand(SuspicionTrigger.RequestCoordinatorConsultation)),
            (Coordinator, ValidCommand(SuspicionTrigger.DeclarePresumedVictim)),
        })
        {
            foreach (var e in Decide(state, actor, command, Now))
            {
                history.Add(e);
                state = SuspicionState.Fold(state, e, new EventInfo(history.Count, Now, actor.OrgId))!;
            }
        }

        Assert.Equal(SuspicionStatus.PresumedVictim, state.Status);
        Assert.Equal(4, state.Version);
        Assert.Equal(["ngo-1", "rko-1"], state.Participants);
        Assert.Equal(["rko-1"], state.CoordinatorOrgIds);

        SuspicionState? replayed = null;
        for (var i = 0; i < history.Count; i++)
        {
            replayed = SuspicionState.Fold(replayed, history[i], new EventInfo(i + 1, Now, i == 3 ? "rko-1" : "ngo-1"));
        }

        Assert.Equal(state.Status, replayed!.Status);
        Assert.Equal(state.Participants, replayed.Participants);
        Assert.Equal(state.Version, replayed.Version);
    }

    [Fact]
    public void Events_of_other_steps_only_advance_the_version()
    {
        var state = Case(SuspicionStatus.PresumedVictim);
        var after = SuspicionState.Fold(state, new { Other = "step" }, new EventInfo(9, Now, "mig-1"))!;
        Assert.Equal(SuspicionStatus.PresumedVictim, after.Status);
        Assert.Equal(9, after.Version);
    }
}

/// <summary>Issue 20 item 11: a recommendation to declare reaches social services and the coordinator as a duty.</summary>
public sealed class RecommendationDutyTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static SuspicionState Fold(SuspicionState state, params object[] events) =>
        events.Aggregate(state, (s, e) => SuspicionState.Fold(s, e, new EventInfo(s.Version + 1, At))!);

    [Fact]
    public void A_recommendation_is_an_open_item_for_social_services_and_the_coordinator_until_declared_or_closed()
    {
        var state = new SuspicionState { Id = Guid.CreateVersion7(), Version = 2, Status = SuspicionStatus.UnderAssessment, AgeCategory = AgeCategory.Adult };
        Assert.Empty(state.OpenItems);

        var recommended = Fold(state, new PresumedVictimRecommended(state.Id, "Indicators of forced labour.", At), new PresumedVictimRecommended(state.Id, "Again.", At.AddDays(1)));
        var item = Assert.Single(recommended.OpenItems);
        Assert.Equal("AssessPresumedVictimRecommendation", item.Duty);
        Assert.Equal([OrgType.SocialServices, OrgType.RegionalCoordinator], item.For);
        Assert.Equal(At, item.Since);

        Assert.Empty(Fold(recommended, new PresumedVictimDeclared(state.Id, Guid.NewGuid(), AgeCategory.Adult, [], "Assessed.", At.AddDays(2), SuspicionStatus.PresumedVictim)).OpenItems);
        Assert.Empty(Fold(recommended, new CaseClosedNotTrafficking(state.Id, ClosureReason.NoIndicators, "Assessed.", At.AddDays(2), SuspicionStatus.NotTrafficking)).OpenItems);
    }
}

/// <summary>R20 for the presumed-victim declaration: only its author corrects or retracts it, and other steps follow.</summary>
public sealed class DeclarationCorrectionTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Declarer = new("u-pol", "pol-1", OrgType.Police, null);
    private static readonly Actor OtherPolice = new("u-pol2", "pol-2", OrgType.Police, null);

    private static IReadOnlyList<object> Decide(SuspicionState state, Actor actor, object command, DateTimeOffset now) => SuspicionWorkflowTests.Decide(state, actor, command, now);

    private static SuspicionState Declared() => new()
    {
        Id = Guid.CreateVersion7(), Version = 4, Status = SuspicionStatus.PresumedVictim, AgeCategory = AgeCategory.Adult,
        ExploitationPurposes = [ExploitationPurpose.SexualExploitation], DeclaredAt = At, DeclaredByOrgId = Declarer.OrgId, Participants = ["pol-1", "pol-2"],
        ParticipantTypes = [OrgType.Police],
    };

    [Fact]
    public void Only_the_declaring_organisation_corrects_or_retracts_and_a_child_correction_needs_social_services()
    {
        foreach (var command in new object[] { new RetractPresumedVictimDeclaration("Wrong case."), new CorrectPresumedVictimDeclaration(AgeCategory.Adult, [ExploitationPurpose.ForcedLabour], "Purpose.") })
        {
            var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Declared(), OtherPolice, command, At));
            Assert.Equal([Guards.SameDeclarer], violation.UnmetGuards);
        }

        var toChild = Assert.Throws<WorkflowViolationException>(() =>
            Decide(Declared(), Declarer, new CorrectPresumedVictimDeclaration(AgeCategory.Child, [ExploitationPurpose.SexualExploitation], "Age."), At));
        Assert.Equal([Guards.ChildSocialServices], toChild.UnmetGuards);
    }

    [Fact]
    public void A_correction_changes_the_declared_facts_and_a_retraction_returns_the_case_to_assessment()
    {
        var state = Declared();
        var corrected = SuspicionState.Fold(state, Assert.Single(Decide(state, Declarer,
            new CorrectPresumedVictimDeclaration(AgeCategory.Adult, [ExploitationPurpose.ForcedLabour], "Purpose recorded wrong."), At)), new EventInfo(5, At, Declarer.OrgId))!;
        Assert.Equal((SuspicionStatus.PresumedVictim, ExploitationPurpose.ForcedLabour), (corrected.Status, Assert.Single(corrected.ExploitationPurposes)));

        var retracted = SuspicionState.Fold(corrected, Assert.Single(Decide(corrected, Declarer, new RetractPresumedVictimDeclaration("Declared on the wrong case."), At)),
            new EventInfo(6, At, Declarer.OrgId))!;
        Assert.Equal(SuspicionStatus.UnderAssessment, retracted.Status);
        Assert.Null(retracted.DeclaredAt);
        Assert.Null(retracted.DeclaredByOrgId);
    }
}
