using Referral.BuildingBlocks.Contracts;
using Referral.UnitTests.BuildingBlocks;

namespace Referral.UnitTests;

/// <summary>Turns a specification of permitted transitions into the permitted and the refused test cases.</summary>
internal static class TransitionTable
{
    public static TheoryData<TStatus, TCommand> Allowed<TStatus, TCommand>(IReadOnlyDictionary<(TStatus, TCommand), TStatus> permitted)
        where TStatus : struct, Enum
        where TCommand : struct, Enum
    {
        var data = new TheoryData<TStatus, TCommand>();
        foreach (var (status, command) in permitted.Keys)
        {
            data.Add(status, command);
        }

        return data;
    }

    /// <summary>Every state × command the specification does not permit.</summary>
    public static TheoryData<TStatus, TCommand> Refused<TStatus, TCommand>(IReadOnlyDictionary<(TStatus, TCommand), TStatus> permitted)
        where TStatus : struct, Enum
        where TCommand : struct, Enum
    {
        var data = new TheoryData<TStatus, TCommand>();
        foreach (var status in Enum.GetValues<TStatus>())
        {
            foreach (var command in Enum.GetValues<TCommand>().Where(c => !permitted.ContainsKey((status, c))))
            {
                data.Add(status, command);
            }
        }

        return data;
    }

    /// <summary>
    /// The actions the specification offers an organisation type in a state — the permitted transitions out of it whose
    /// command the type may send by MANUAL.md §2 (<see cref="PermissionMatrixTests"/>), less those the caller names as
    /// guarded out in its test state — sorted. Written from the specification, never from the machine under test.
    /// </summary>
    public static string[] Offered<TStatus, TCommand>(
        IReadOnlyDictionary<(TStatus, TCommand), TStatus> permitted, TStatus state, OrgType orgType, params TCommand[] guardedOut)
        where TStatus : struct, Enum
        where TCommand : struct, Enum =>
        [.. permitted.Keys.Where(k => k.Item1.Equals(state) && !guardedOut.Contains(k.Item2))
            .Select(k => k.Item2.ToString()).Where(c => PermissionMatrixTests.ManualAllows(c, orgType)).Distinct().Order()];
}
