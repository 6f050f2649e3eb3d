using Referral.BuildingBlocks.Modules;
using Referral.Modules.Audit;
using Referral.Modules.ChildSafeguarding;
using Referral.Modules.Prosecution;
using Referral.Modules.Reimbursement;
using Referral.Modules.ReflectionPeriod;
using Referral.Modules.Support;
using Referral.Modules.Suspicion;
using Referral.Modules.Tasks;
using Referral.Modules.VoluntaryReturn;

namespace Referral.Host;

/// <summary>The step modules of the manual, in workflow order. Adding a step is one line here.</summary>
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
        new TasksModule(),
        new AuditModule(),
    ];
}
