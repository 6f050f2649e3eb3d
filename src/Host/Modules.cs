using Referral.BuildingBlocks.Modules;
using Referral.Modules.Audit;
using Referral.Modules.ChildSafeguarding;
using Referral.Modules.Outreach;
using Referral.Modules.Prosecution;
using Referral.Modules.Reimbursement;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Support;
using Referral.Modules.Statistics;
using Referral.Modules.Suspicion;
using Referral.Modules.Tasks;
using Referral.Modules.VoluntaryReturn;

namespace Referral.Host;

/// <summary>The modules, steps of the manual in workflow order, then the capabilities fed by them (tasks, audit). A new step needs its line here and the other registrations docs/adr/0011-module-shape.md lists.</summary>
public static class Modules
{
    public static readonly IReadOnlyList<IModule> All =
    [
        new SuspicionModule(),
        new ProsecutionModule(),
        new VoluntaryReturnModule(),
        new ReflectionPeriodModule(),
        new SupportModule(),
        new ChildSafeguardingModule(),
        new ReimbursementModule(),
        new OutreachModule(),
        new TasksModule(),
        new StatisticsModule(),
        new AuditModule(),
    ];
}
