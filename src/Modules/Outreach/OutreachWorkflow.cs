using FluentValidation;
using FluentValidation.Results;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;
using Referral.Modules.Outreach.Contracts;

namespace Referral.Modules.Outreach;

/// <summary>Triggers of an operation, each named after its command.</summary>
public enum OutreachTrigger { RecordPersonsMet, CorrectPersonsMet, RecordChildrenWithoutCase, RecordBuyersReported, AddOperationParticipant, CloseOperation, ReopenOperation }

/// <summary>
/// A joint outreach operation (samverkanspass) as a Stateless machine — Open → Closed, reopened to correct — and one
/// pure decider per command. Children first: an operation closes only when every child met has a case (registered from
/// the operation, so the child-safeguarding overlay and its concern report follow) or a recorded reason why not.
/// </summary>
public sealed class OutreachWorkflow : StepWorkflow<OperationStatus, OutreachTrigger>
{
    private static readonly WorkflowPool<OutreachWorkflow> Pool = new(() => new OutreachWorkflow());

    private static readonly TriggerTable<OutreachTrigger> Table = new(
        (OutreachTrigger.RecordPersonsMet, typeof(RecordPersonsMet)),
        (OutreachTrigger.CorrectPersonsMet, typeof(CorrectPersonsMet)),
        (OutreachTrigger.RecordChildrenWithoutCase, typeof(RecordChildrenWithoutCase)),
        (OutreachTrigger.RecordBuyersReported, typeof(RecordBuyersReported)),
        (OutreachTrigger.AddOperationParticipant, typeof(AddOperationParticipant)),
        (OutreachTrigger.CloseOperation, typeof(CloseOperation)),
        (OutreachTrigger.ReopenOperation, typeof(ReopenOperation)));

    private OutreachState _operation = null!;
    private int _childCases;
    private DateTimeOffset _now;

    /// <param name="operation">The operation.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="childCases">Children's cases registered from the operation (for the children-first guards).</param>
    /// <param name="now">The time of the command.</param>
    public OutreachWorkflow(OutreachState operation, Actor actor, int childCases = 0, DateTimeOffset? now = null)
        : this() => Bind(operation, actor, childCases, now);

    private OutreachWorkflow()
    {
        Machine.Configure(OperationStatus.Open)
            .PermitReentry(OutreachTrigger.RecordPersonsMet)
            .PermitReentryIf(OutreachTrigger.CorrectPersonsMet, () => Command is not CorrectPersonsMet c || _operation.PersonsMet.Any(p => p.EntryId == c.EntryId), Guards.EntryOnOperation)
            .PermitReentryIf(OutreachTrigger.RecordChildrenWithoutCase, () => Command is not RecordChildrenWithoutCase c || c.Count <= Unaccounted, Guards.NoMoreThanUnaccounted)
            .PermitReentry(OutreachTrigger.RecordBuyersReported)
            .PermitReentryIf(OutreachTrigger.AddOperationParticipant, () => Command is not AddOperationParticipant c || !_operation.TakesPart(c.Organisation!.OrgId!), Guards.NewParticipant)
            .PermitIf(OutreachTrigger.CloseOperation, OperationStatus.Closed, () => Unaccounted == 0, Guards.ChildrenAccountedFor);
        Machine.Configure(OperationStatus.Closed)
            .Permit(OutreachTrigger.ReopenOperation, OperationStatus.Open);
    }

    /// <summary>A configured machine from the pool, bound to the operation and the actor; <c>Dispose</c> gives it back.</summary>
    public static OutreachWorkflow For(OutreachState operation, Actor actor, int childCases = 0, DateTimeOffset? now = null) => Pool.Rent().Bind(operation, actor, childCases, now);

    private OutreachWorkflow Bind(OutreachState operation, Actor actor, int childCases, DateTimeOffset? now)
    {
        Reset(operation.Status, actor);
        _operation = operation;
        _childCases = childCases;
        _now = now ?? DateTimeOffset.MinValue;
        return this;
    }

    protected override void Return() => Pool.Return(this);

    /// <summary>Guard descriptions, as they appear in 409 answers and diagrams.</summary>
    public static class Guards
    {
        public const string EntryOnOperation = "the entry of persons met is on the operation";
        public const string NoMoreThanUnaccounted = "no more children are recorded without a case than children met who have neither a case nor a recorded reason";
        public const string NewParticipant = "the organisation does not take part in the operation yet";
        public const string ChildrenAccountedFor = "every child met has a case registered from the operation (the child-safeguarding overlay, a concern report to social services) or a recorded reason why not";
    }

    /// <summary>Children met who have neither a case registered from the operation nor a recorded reason (never below 0).</summary>
    public int Unaccounted => Math.Max(0, _operation.ChildrenMet - _childCases - _operation.ChildrenWithoutCaseCount);

    protected override string Step => "outreach";

    protected override TriggerTable<OutreachTrigger> Triggers => Table;

    /// <summary>The machine without an operation, for the diagram.</summary>
    public static string Diagram() => new OutreachWorkflow(new OutreachState(), System).ToMermaid();

    /// <summary>
    /// The first event of a new operation: the caller takes part with the organisations it names, which with the caller
    /// include a police unit and a social-services organisation (otherwise 400: it is not a joint operation).
    /// </summary>
    public static OutreachOperationRecorded Record(RecordOutreachOperation c, Guid operationId, Actor actor, DateTimeOffset now)
    {
        var participants = c.Participants!.Select(p => new OrganisationRef(p.OrgId!, p.OrgType!.Value)).ToList();
        if (participants.All(p => p.OrgId != actor.OrgId))
        {
            participants.Insert(0, new OrganisationRef(actor.OrgId, actor.OrgType));
        }

        if (!participants.Any(p => p.OrgType == OrgType.Police) || !participants.Any(p => p.OrgType == OrgType.SocialServices))
        {
            throw new ValidationException([new ValidationFailure(nameof(RecordOutreachOperation.Participants),
                "'Participants' must include, with the caller, at least one police unit and one social-services organisation (a joint operation).")]);
        }

        return new OutreachOperationRecorded(operationId, c.OccurredAt!.Value, c.MunicipalityCode!, c.Area!, c.PlaceKinds!, c.Trigger!.Value, participants,
            c.PoliceOperationName, now, OperationStatus.Open);
    }

    public IReadOnlyList<object> RecordPersonsMet(RecordPersonsMet c, Guid entryId)
    {
        Fire(c);
        return [new PersonsMetRecorded(_operation.Id, entryId, c.AgeCategory!.Value, c.Gender!.Value, c.Count!.Value, c.InformedOfSupport, c.ReferredToSocialServices,
            c.AcceptedSupport, c.Declined, _now)];
    }

    public IReadOnlyList<object> CorrectPersonsMet(CorrectPersonsMet c)
    {
        Fire(c);
        return [new PersonsMetCorrected(_operation.Id, c.EntryId!.Value, c.AgeCategory!.Value, c.Gender!.Value, c.Count!.Value, c.InformedOfSupport,
            c.ReferredToSocialServices, c.AcceptedSupport, c.Declined, c.Reason!, _now)];
    }

    public IReadOnlyList<object> RecordChildrenWithoutCase(RecordChildrenWithoutCase c)
    {
        Fire(c);
        return [new ChildrenWithoutCaseRecorded(_operation.Id, c.Count!.Value, c.Reason!.Value, _now)];
    }

    public IReadOnlyList<object> RecordBuyersReported(RecordBuyersReported c)
    {
        Fire(c);
        return [new BuyersReported(_operation.Id, c.Adults, c.UnderEighteen, c.UnderEighteen, _now)];
    }

    public IReadOnlyList<object> AddOperationParticipant(AddOperationParticipant c)
    {
        Fire(c);
        return [new OperationParticipantAdded(_operation.Id, new OrganisationRef(c.Organisation!.OrgId!, c.Organisation.OrgType!.Value), _now)];
    }

    public IReadOnlyList<object> CloseOperation(CloseOperation c) =>
        [new OutreachOperationClosed(_operation.Id, c.Summary!, _now, Fire(c))];

    public IReadOnlyList<object> ReopenOperation(ReopenOperation c) =>
        [new OutreachOperationReopened(_operation.Id, c.Reason!, _now, Fire(c))];
}
