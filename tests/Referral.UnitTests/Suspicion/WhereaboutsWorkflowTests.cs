using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.Modules.Suspicion.Contracts;
using Referral.Modules.Suspicion;

namespace Referral.UnitTests.Suspicion;

/// <summary>The person's whereabouts (R12): present ⇄ missing.</summary>
public sealed class WhereaboutsWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Shelter = new("u", "ngo-1", OrgType.NGO, null);
    private static readonly SuspicionState Present = new() { Id = Guid.CreateVersion7(), Status = SuspicionStatus.PresumedVictim, Version = 5 };

    private static IReadOnlyList<object> Decide(SuspicionState state, Actor actor, object command, DateTimeOffset now) => command switch
    {
        ReportPersonMissing c => new WhereaboutsWorkflow(state, actor, now).ReportPersonMissing(c),
        ReportPersonFound c => new WhereaboutsWorkflow(state, actor, now).ReportPersonFound(c),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    [Fact]
    public void A_present_person_can_be_reported_missing_and_then_found()
    {
        var missing = Assert.IsType<PersonReportedMissing>(Assert.Single(
            Decide(Present, Shelter, new ReportPersonMissing(Now.AddDays(-1)), Now)));
        Assert.Equal(Now.AddDays(-1), missing.MissingSince);
        var state = SuspicionState.Fold(Present, missing, new EventInfo(6, Now, "ngo-1"))!;
        Assert.True(state.IsMissing);
        Assert.Equal(SuspicionStatus.PresumedVictim, state.Status);
        Assert.Equal([WhereaboutsTrigger.ReportPersonFound], new WhereaboutsWorkflow(state, Shelter).AllowedActions());

        var found = Assert.IsType<PersonFound>(Assert.Single(Decide(state, Shelter, new ReportPersonFound(null), Now)));
        Assert.False(SuspicionState.Fold(state, found, new EventInfo(7, Now, "ngo-1"))!.IsMissing);
    }

    [Fact]
    public void A_present_person_cannot_be_found()
    {
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(Present, Shelter, new ReportPersonFound(null), Now));
        Assert.Equal("Present", violation.CurrentState);
        Assert.Equal(["ReportPersonMissing"], violation.AllowedActions);
    }

    [Fact]
    public void A_missing_person_cannot_be_reported_missing_again()
    {
        var missing = Present with { IsMissing = true };
        var violation = Assert.Throws<WorkflowViolationException>(() => Decide(missing, Shelter, new ReportPersonMissing(null), Now));
        Assert.Equal("Missing", violation.CurrentState);
        Assert.Equal("ReportPersonMissing", violation.AttemptedAction);
    }

    [Fact]
    public void Whereabouts_diagram_in_docs_matches_the_state_machine() =>
        Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "suspicion-whereabouts.mmd"), WhereaboutsWorkflow.Diagram());
}
