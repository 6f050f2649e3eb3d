using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Support;
using Referral.Modules.Support.Contracts;

namespace Referral.UnitTests.BuildingBlocks;

/// <summary>The step kernel: one trigger ↔ command table used both ways, and machines configured once and reused.</summary>
public sealed class StepKernelTests
{
    private static readonly Actor Social = new("u1", "soc-1", OrgType.SocialServices, "0180");
    private static readonly Actor Auditor = new("u2", "aud-1", OrgType.Auditor, null);

    [Fact]
    public void The_table_maps_a_trigger_to_its_command_and_a_command_to_its_one_trigger()
    {
        var table = new TriggerTable<ReflectionPeriodTrigger>(
            (ReflectionPeriodTrigger.SubmitReflectionApplication, typeof(SubmitReflectionApplication)),
            (ReflectionPeriodTrigger.GrantReflectionPeriod, typeof(RecordReflectionDecision)),
            (ReflectionPeriodTrigger.RejectReflectionApplication, typeof(RecordReflectionDecision)));

        Assert.Equal(typeof(SubmitReflectionApplication), table.CommandFor(ReflectionPeriodTrigger.SubmitReflectionApplication));
        Assert.Equal(ReflectionPeriodTrigger.SubmitReflectionApplication, table.TriggerFor(typeof(SubmitReflectionApplication)));
        Assert.Equal(nameof(RecordReflectionDecision), table.ActionName(ReflectionPeriodTrigger.GrantReflectionPeriod));

        // A system act is in no row: no organisation may fire it, and it keeps its own name.
        Assert.Equal(typeof(SystemAct), table.CommandFor(ReflectionPeriodTrigger.ExpireReflectionPeriod));
        Assert.Equal(nameof(ReflectionPeriodTrigger.ExpireReflectionPeriod), table.ActionName(ReflectionPeriodTrigger.ExpireReflectionPeriod));
        Assert.All(Enum.GetValues<OrgType>(), org => Assert.False(table.IsAllowed(ReflectionPeriodTrigger.ExpireReflectionPeriod, org)));

        // Permissions come from the command's [AllowedOrganisations].
        Assert.True(table.IsAllowed(ReflectionPeriodTrigger.GrantReflectionPeriod, OrgType.MigrationAgency));
        Assert.False(table.IsAllowed(ReflectionPeriodTrigger.GrantReflectionPeriod, OrgType.NGO));

        // A command of several outcomes names its trigger itself; an unknown command fires nothing.
        Assert.Contains("names the outcome's trigger", Assert.Throws<InvalidOperationException>(() => table.TriggerFor(typeof(RecordReflectionDecision))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => table.TriggerFor(typeof(EndReflectionPeriodEarly)));
    }

    [Fact]
    public void A_trigger_is_in_the_table_once() =>
        Assert.Throws<ArgumentException>(() => new TriggerTable<SupportTrigger>(
            (SupportTrigger.StartSupport, typeof(StartSupport)), (SupportTrigger.StartSupport, typeof(EndSupport))));

    [Fact]
    public void A_rented_machine_is_configured_once_bound_per_use_and_given_back_once()
    {
        var notStarted = new SupportState { Id = Guid.NewGuid(), Phase = SupportPhase.NotStarted, DeclaredPresumedVictim = true };
        var acute = new SupportState { Id = Guid.NewGuid(), Phase = SupportPhase.Acute, PhaseSince = DateTimeOffset.UnixEpoch };

        var first = SupportWorkflow.For(notStarted, Social);
        Assert.Equal([nameof(StartSupport)], first.AllowedActionNames());
        first.Dispose();

        // The same configured machine, bound to another case and actor: it answers for them only.
        var second = SupportWorkflow.For(acute, Auditor);
        Assert.Same(first, second);
        Assert.Equal(SupportPhase.Acute, second.Current);
        Assert.Empty(second.AllowedActionNames()); // an auditor sends no command
        second.Dispose();
        second.Dispose(); // given back once, however often disposed

        var third = SupportWorkflow.For(acute, Social);
        var fourth = SupportWorkflow.For(notStarted, Social);
        Assert.NotSame(third, fourth); // two uses at once never share a machine
        Assert.Contains(nameof(EndSupport), third.AllowedActionNames());
        Assert.Equal([nameof(StartSupport)], fourth.AllowedActionNames());
        third.Dispose();
        fourth.Dispose();
    }

    [Fact]
    public void A_refused_command_gives_the_machine_back_and_leaves_no_command_behind()
    {
        var ended = new SupportState { Id = Guid.NewGuid(), Phase = SupportPhase.Ended };
        Assert.Throws<WorkflowViolationException>(() =>
            SupportWorkflow.For(ended, Social, DateTimeOffset.UnixEpoch).Once(w => w.EndSupport(new EndSupport(SupportEndReason.EstablishedInSweden))));

        // The next use sees no command: the start guard (declared or in acute danger) is judged on the state alone.
        var undeclared = new SupportState { Id = Guid.NewGuid(), Phase = SupportPhase.NotStarted, DeclaredPresumedVictim = false };
        Assert.Equal([nameof(StartSupport)], SupportWorkflow.For(undeclared, Social).Once(w => w.AllowedActionNames()));
    }
}
