using Marten;
using Mediator;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Workflow;

namespace Referral.Modules.Outreach;

/// <summary>
/// Operation commands: an operation is its own stream. Each line names the decider of its command type; every command
/// goes through the one write path (fetch at the expected version, decide, append, save). Participation was checked
/// before (<see cref="OperationNeedToKnow"/>).
/// </summary>
public sealed class OutreachCommandHandler(IDocumentSession session, ICurrentActor current, TimeProvider clock, ICaseAccess access) :
    ICommandHandler<RecordOutreachOperation, OperationView>,
    ICommandHandler<RecordPersonsMet, OperationView>,
    ICommandHandler<CorrectPersonsMet, OperationView>,
    ICommandHandler<RecordChildrenWithoutCase, OperationView>,
    ICommandHandler<RecordBuyersReported, OperationView>,
    ICommandHandler<AddOperationParticipant, OperationView>,
    ICommandHandler<CloseOperation, OperationView>,
    ICommandHandler<ReopenOperation, OperationView>
{
    public async ValueTask<OperationView> Handle(RecordOutreachOperation command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var state = await session.StartAsync<OutreachState>(id, [OutreachWorkflow.Record(command, id, current.Actor, now)], cancellationToken);
        return await OperationView.ReadAsync(session, access, state, current.Actor, cancellationToken);
    }

    public ValueTask<OperationView> Handle(RecordPersonsMet c, CancellationToken ct) => Write(c, w => w.RecordPersonsMet(c, Guid.CreateVersion7(clock.GetUtcNow())), ct);

    public ValueTask<OperationView> Handle(CorrectPersonsMet c, CancellationToken ct) => Write(c, w => w.CorrectPersonsMet(c), ct);

    public ValueTask<OperationView> Handle(RecordChildrenWithoutCase c, CancellationToken ct) => Write(c, w => w.RecordChildrenWithoutCase(c), ct);

    public ValueTask<OperationView> Handle(RecordBuyersReported c, CancellationToken ct) => Write(c, w => w.RecordBuyersReported(c), ct);

    public ValueTask<OperationView> Handle(AddOperationParticipant c, CancellationToken ct) => Write(c, w => w.AddOperationParticipant(c), ct);

    public ValueTask<OperationView> Handle(CloseOperation c, CancellationToken ct) => Write(c, w => w.CloseOperation(c), ct);

    public ValueTask<OperationView> Handle(ReopenOperation c, CancellationToken ct) => Write(c, w => w.ReopenOperation(c), ct);

    private async ValueTask<OperationView> Write(OperationCommand command, Func<OutreachWorkflow, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = current.Actor;
        var now = clock.GetUtcNow();
        // The children-first guards count the children's cases registered from the operation (read before the decision).
        var childCases = await OperationView.ChildCasesAsync(session, command.OperationId, ct);
        var state = await session.DecideAsync<OutreachState>(command.OperationId, command.ExpectedVersion,
            operation => OutreachWorkflow.For(operation, actor, childCases, now).Once(decide), ct, "The operation");
        return await OperationView.ReadAsync(session, access, state, actor, ct);
    }
}
