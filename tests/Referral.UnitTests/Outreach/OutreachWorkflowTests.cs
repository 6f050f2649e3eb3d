using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Outreach;
using Referral.Modules.Outreach.Contracts;
using Referral.Modules.Suspicion.Contracts;

namespace Referral.UnitTests.Outreach;

/// <summary>Every transition and guard of a joint outreach operation, its folds and its link to the cases registered from it.</summary>
public sealed class OutreachWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 22, 0, 0, TimeSpan.FromHours(1));
    private static readonly Actor Police = new("u1", "pol-1", OrgType.Police, null);
    private static readonly Guid Entry = Guid.NewGuid();

    /// <summary>The permitted transitions; every other state × trigger is refused.</summary>
    private static readonly Dictionary<(OperationStatus, OutreachTrigger), OperationStatus> Permitted = new()
    {
        [(OperationStatus.Open, OutreachTrigger.RecordPersonsMet)] = OperationStatus.Open,
        [(OperationStatus.Open, OutreachTrigger.CorrectPersonsMet)] = OperationStatus.Open,
        [(OperationStatus.Open, OutreachTrigger.RecordChildrenWithoutCase)] = OperationStatus.Open,
        [(OperationStatus.Open, OutreachTrigger.RecordBuyersReported)] = OperationStatus.Open,
        [(OperationStatus.Open, OutreachTrigger.AddOperationParticipant)] = OperationStatus.Open,
        [(OperationStatus.Open, OutreachTrigger.CloseOperation)] = OperationStatus.Closed,
        // Corrections after closing: reopen, correct, close again.
        [(OperationStatus.Closed, OutreachTrigger.ReopenOperation)] = OperationStatus.Open,
    };

    public static TheoryData<OperationStatus, OutreachTrigger> Allowed => TransitionTable.Allowed(Permitted);

    public static TheoryData<OperationStatus, OutreachTrigger> Refused => TransitionTable.Refused(Permitted);

    /// <summary>An operation of pol-1 and soc-1 in <paramref name="status"/>, with two adults and one child met (the child without a case, for a reason).</summary>
    private static OutreachState Operation(OperationStatus status = OperationStatus.Open) => new()
    {
        Id = Guid.NewGuid(),
        Status = status,
        Participants = [new OrganisationRef("pol-1", OrgType.Police), new OrganisationRef("soc-1", OrgType.SocialServices)],
        ParticipantOrgIds = ["pol-1", "soc-1"],
        PersonsMet =
        [
            new PersonsMet(Entry, MetAgeCategory.Adult, Gender.Female, 2, 2, 0, 1, 1),
            new PersonsMet(Guid.NewGuid(), MetAgeCategory.Child, Gender.Female, 1, 1, 1, 1, 0),
        ],
        ChildrenWithoutCase = [new ChildrenWithoutCase(1, NoCaseReason.AlreadyKnownToSocialServices)],
    };

    private static IReadOnlyList<object> Decide(OutreachWorkflow w, OutreachTrigger trigger) => trigger switch
    {
        OutreachTrigger.RecordPersonsMet => w.RecordPersonsMet(new RecordPersonsMet(MetAgeCategory.Adult, Gender.Male, 3, 3, 0, 0, 3), Guid.NewGuid()),
        OutreachTrigger.CorrectPersonsMet => w.CorrectPersonsMet(new CorrectPersonsMet(Entry, MetAgeCategory.Adult, Gender.Female, 3, 3, 0, 1, 1, "Counted wrong.")),
        OutreachTrigger.RecordChildrenWithoutCase => w.RecordChildrenWithoutCase(new RecordChildrenWithoutCase(1, NoCaseReason.LeftBeforeContact)),
        OutreachTrigger.RecordBuyersReported => w.RecordBuyersReported(new RecordBuyersReported(2, 1)),
        OutreachTrigger.AddOperationParticipant => w.AddOperationParticipant(new AddOperationParticipant(new OperationParticipant("ngo-1", OrgType.NGO))),
        OutreachTrigger.CloseOperation => w.CloseOperation(new CloseOperation("Street outreach.")),
        _ => w.ReopenOperation(new ReopenOperation("A count was wrong.")),
    };

    private static OutreachState Apply(OutreachState s, IEnumerable<object> events) =>
        events.Aggregate(s, (acc, e) => OutreachState.Fold(acc, e, new EventInfo(acc.Version + 1, Now, "pol-1", OrgType.Police))!);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_permitted_command_moves_the_operation(OperationStatus from, OutreachTrigger trigger)
    {
        var operation = Operation(from);
        if (trigger == OutreachTrigger.RecordChildrenWithoutCase)
        {
            operation = operation with { ChildrenWithoutCase = [] }; // one child left to account for
        }

        var next = Apply(operation, Decide(new OutreachWorkflow(operation, Police, 0, Now), trigger));
        Assert.Equal(Permitted[(from, trigger)], next.Status);
        Assert.Equal(1, next.Version);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_command_is_refused_with_what_is_allowed_instead(OperationStatus from, OutreachTrigger trigger)
    {
        var refused = Assert.Throws<WorkflowViolationException>(() => Decide(new OutreachWorkflow(Operation(from), Police, 0, Now), trigger));
        Assert.Equal(from.ToString(), refused.CurrentState);
        Assert.Equal(trigger.ToString(), refused.AttemptedAction);
        Assert.Empty(refused.UnmetGuards); // refused by the state, not by a guard
        Assert.Equal(TransitionTable.Offered(Permitted, from, OrgType.Police), refused.AllowedActions.Order());
    }

    [Fact]
    public void An_operation_closes_only_when_every_child_met_has_a_case_or_a_recorded_reason()
    {
        // Three children met: one has a case registered from the operation, one a recorded reason, one nothing yet.
        var operation = Operation() with
        {
            PersonsMet = [.. Operation().PersonsMet, new PersonsMet(Guid.NewGuid(), MetAgeCategory.Child, Gender.Male, 2, 2, 2, 1, 1)],
        };
        var workflow = new OutreachWorkflow(operation, Police, childCases: 1, Now);
        Assert.Equal(1, workflow.Unaccounted);
        var refused = Assert.Throws<WorkflowViolationException>(() => workflow.CloseOperation(new CloseOperation("Done.")));
        Assert.Equal([OutreachWorkflow.Guards.ChildrenAccountedFor], refused.UnmetGuards);
        Assert.DoesNotContain(nameof(CloseOperation), refused.AllowedActions);

        // More children without a case than are unaccounted for is refused too.
        var tooMany = Assert.Throws<WorkflowViolationException>(() => workflow.RecordChildrenWithoutCase(new RecordChildrenWithoutCase(2, NoCaseReason.LeftBeforeContact)));
        Assert.Equal([OutreachWorkflow.Guards.NoMoreThanUnaccounted], tooMany.UnmetGuards);

        var accounted = Apply(operation, workflow.RecordChildrenWithoutCase(new RecordChildrenWithoutCase(1, NoCaseReason.LeftBeforeContact)));
        var closed = Apply(accounted, new OutreachWorkflow(accounted, Police, childCases: 1, Now).CloseOperation(new CloseOperation("Done.")));
        Assert.Equal((OperationStatus.Closed, "Done.", Now), (closed.Status, closed.Summary, closed.ClosedAt));

        // The child's case counts only once registered: without it the operation is open again with one child to account for.
        Assert.Equal(1, new OutreachWorkflow(accounted, Police, childCases: 0, Now).Unaccounted);
    }

    [Fact]
    public void A_correction_must_name_an_entry_of_the_operation_and_a_participant_is_added_once()
    {
        var workflow = new OutreachWorkflow(Operation(), Police, 0, Now);
        var unknown = Assert.Throws<WorkflowViolationException>(() =>
            workflow.CorrectPersonsMet(new CorrectPersonsMet(Guid.NewGuid(), MetAgeCategory.Adult, Gender.Male, 1, 1, 0, 0, 0, "Wrong.")));
        Assert.Equal([OutreachWorkflow.Guards.EntryOnOperation], unknown.UnmetGuards);
        var again = Assert.Throws<WorkflowViolationException>(() => workflow.AddOperationParticipant(new AddOperationParticipant(new OperationParticipant("soc-1", OrgType.SocialServices))));
        Assert.Equal([OutreachWorkflow.Guards.NewParticipant], again.UnmetGuards);

        var corrected = Apply(Operation(), workflow.CorrectPersonsMet(new CorrectPersonsMet(Entry, MetAgeCategory.Adult, Gender.Female, 3, 3, 0, 2, 1, "Counted wrong.")));
        Assert.Equal(3, Assert.Single(corrected.PersonsMet, p => p.EntryId == Entry).Count);
        Assert.Equal(2, corrected.PersonsMet.Count);
    }

    [Fact]
    public void Recording_takes_the_caller_part_and_buyers_under_18_are_counted_apart_and_referred()
    {
        var social = new Actor("u2", "soc-9", OrgType.SocialServices, null);
        var recorded = OutreachWorkflow.Record(new RecordOutreachOperation(Now, "0180", "Norrmalm", [PlaceKind.Street], OperationTrigger.Tip,
            [new OperationParticipant("pol-9", OrgType.Police)], "Vinternatt"), Guid.NewGuid(), social, Now);
        Assert.Equal(["soc-9", "pol-9"], recorded.Participants.Select(p => p.OrgId).ToArray());
        var operation = OutreachState.Fold(null, recorded, new EventInfo(1, Now, "soc-9", OrgType.SocialServices))!;
        Assert.Equal((2026, new DateOnly(2026, 11, 20), OperationStatus.Open), (operation.Year, operation.OccurredOn, operation.Status));
        Assert.True(operation.TakesPart("pol-9"));

        // Not a joint operation without social services (the caller included): 400 with the reason.
        var alone = Assert.Throws<FluentValidation.ValidationException>(() => OutreachWorkflow.Record(new RecordOutreachOperation(Now, "0180", "Norrmalm", [PlaceKind.Street],
            OperationTrigger.Tip, [new OperationParticipant("pol-8", OrgType.Police)], null), Guid.NewGuid(), Police, Now));
        Assert.Equal("Participants", Assert.Single(alone.Errors).PropertyName);

        var buyers = Apply(operation, new OutreachWorkflow(operation, social, 0, Now).RecordBuyersReported(new RecordBuyersReported(4, 2)));
        buyers = Apply(buyers, new OutreachWorkflow(buyers, social, 0, Now).RecordBuyersReported(new RecordBuyersReported(0, 1)));
        Assert.Equal(new BuyerCounts(4, 3, 3), buyers.Buyers);
    }

    [Fact]
    public void A_case_registered_from_an_operation_is_linked_and_a_childs_case_counts_for_the_children()
    {
        var operationId = Guid.NewGuid();
        var caseId = Guid.NewGuid();
        SuspicionRegistered Registered(AgeCategory? age, Guid? operation) => new(caseId, Guid.NewGuid(), Now, "pol-1", OrgType.Police, ReportingChannel.InPerson, "0180", age,
            Gender.Female, null, CitizenshipCategory.Unknown, ResidenceBasis.Unknown, [], false, [], null, [], [], [], null, ConsentStatus.NotAsked, operation);
        Assert.Null(OperationCaseLink.Fold(null, Registered(AgeCategory.Child, null), new EventInfo(1, Now)));
        var link = OperationCaseLink.Fold(null, Registered(AgeCategory.Child, operationId), new EventInfo(1, Now))!;
        Assert.Equal((caseId, operationId, true), (link.Id, link.OperationId, link.Child));

        var adult = OperationCaseLink.Fold(null, Registered(null, operationId), new EventInfo(1, Now))!;
        Assert.False(adult.Child);
        var declared = OperationCaseLink.Fold(adult, new PresumedVictimDeclared(caseId, Guid.NewGuid(), AgeCategory.AgeDisputedTreatedAsChild, [], "Assessed.", Now, SuspicionStatus.PresumedVictim), new EventInfo(2, Now))!;
        Assert.True(declared.Child);
    }
}

/// <summary>The operation diagram in docs/manual is generated from the machine (UPDATE_DOCS=1 rewrites it).</summary>
public sealed class OutreachDiagramTests
{
    [Fact]
    public void Operation_diagram_in_docs_matches_the_state_machine()
    {
        var diagram = OutreachWorkflow.Diagram();
        Assert.Contains(OutreachWorkflow.Guards.ChildrenAccountedFor, diagram, StringComparison.Ordinal);
        Suspicion.Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "outreach-operation.mmd"), diagram);
        Suspicion.Docs.AssertEmbedded(Path.Combine("docs", "manual", "outreach.md"), "outreach-operation", diagram);
    }
}
