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
}
