using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Referral.BuildingBlocks;

/// <summary>
/// The system's own traces and metrics (source and meter <c>Referral</c>), exported by the host's OpenTelemetry setup
/// when it is configured. Attributes never carry personal data or case ids: a trace id links to the case history instead.
/// </summary>
public static class Telemetry
{
    public const string Name = "Referral";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Commands by step, command and outcome (the answer's status code).</summary>
    public static readonly Counter<long> Commands = Meter.CreateCounter<long>("referral.commands", description: "Commands by step, command and outcome.");
}
