using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;

namespace Referral.BuildingBlocks.Workflow;

/// <summary>
/// A machine's one declared table of triggers and the commands that fire them, used in both directions: trigger →
/// command (who may send it: its <see cref="AllowedOrganisationsAttribute"/>; the action's name in answers) and command →
/// trigger (the decider fires its command's trigger). A trigger not in the table is a system act (a timer, an upstream
/// step's event) that no organisation may send. Several triggers may share a command — a decision's outcomes — and the
/// decider then names the outcome's trigger itself. Built once per machine type (a static field), with the permissions
/// read once.
/// </summary>
/// <typeparam name="TTrigger">The machine's triggers.</typeparam>
public sealed class TriggerTable<TTrigger> where TTrigger : struct, Enum
{
    private readonly Dictionary<TTrigger, Type> _commands = [];
    private readonly Dictionary<Type, List<TTrigger>> _triggers = [];
    private readonly Dictionary<TTrigger, IReadOnlySet<OrgType>> _allowed = [];
    private readonly Dictionary<TTrigger, string> _names = [];

    /// <param name="rows">Each trigger an organisation may fire and the command that fires it.</param>
    public TriggerTable(params (TTrigger Trigger, Type Command)[] rows)
    {
        foreach (var (trigger, command) in rows)
        {
            if (!_commands.TryAdd(trigger, command))
            {
                throw new ArgumentException($"{trigger} is in the table twice.", nameof(rows));
            }

            (_triggers.TryGetValue(command, out var list) ? list : _triggers[command] = []).Add(trigger);
        }

        foreach (var trigger in All)
        {
            var command = CommandFor(trigger);
            _allowed[trigger] = command == typeof(SystemAct) ? new HashSet<OrgType>() : AllowedOrganisations.For(command);
            _names[trigger] = command == typeof(SystemAct) ? trigger.ToString() : command.Name;
        }
    }

    /// <summary>Every trigger of the machine, in declaration order.</summary>
    public IReadOnlyList<TTrigger> All { get; } = Enum.GetValues<TTrigger>();

    /// <summary>The command type that fires <paramref name="trigger"/>; <see cref="SystemAct"/> for a system act.</summary>
    public Type CommandFor(TTrigger trigger) => _commands.TryGetValue(trigger, out var command) ? command : typeof(SystemAct);

    /// <summary>The one trigger <paramref name="command"/>'s type fires; a command of several outcomes names its trigger itself.</summary>
    public TTrigger TriggerFor(Type command) =>
        _triggers.TryGetValue(command, out var triggers) && triggers.Count == 1
            ? triggers[0]
            : throw new InvalidOperationException(triggers is null
                ? $"{command.Name} fires no trigger of {typeof(TTrigger).Name}."
                : $"{command.Name} fires one of {string.Join(", ", triggers)}: its decider names the outcome's trigger.");

    /// <summary>Whether an organisation of <paramref name="orgType"/> may fire <paramref name="trigger"/> (never a system act).</summary>
    public bool IsAllowed(TTrigger trigger, OrgType orgType) => _allowed[trigger].Contains(orgType);

    /// <summary>The action's name in answers: its command's name; a system act keeps the trigger's own name.</summary>
    public string ActionName(TTrigger trigger) => _names[trigger];
}
