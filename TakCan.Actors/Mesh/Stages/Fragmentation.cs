using System.Security.Cryptography;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// The fragment layer: cuts sealed frames to the link's MTU going down, reassembles them coming up (any order,
/// duplicates ignored, bounded), and on point-to-point links asks for and resends lost fragments.
/// </summary>
public static class Fragmentation
{
    public static BidiFlow<byte[], byte[], byte[], byte[], NotUsed> Create(FragmentationSettings settings, MeshCounters counters) =>
        BidiFlow.FromGraph(new Stage(settings, counters));

    private sealed class Stage(FragmentationSettings settings, MeshCounters counters) : GraphStage<BidiShape<byte[], byte[], byte[], byte[]>>
    {
        private readonly Inlet<byte[]> _fromAbove = new("fragment.messages.in");
        private readonly Outlet<byte[]> _toBelow = new("fragment.frames.out");
        private readonly Inlet<byte[]> _fromBelow = new("fragment.frames.in");
        private readonly Outlet<byte[]> _toAbove = new("fragment.messages.out");

        public override BidiShape<byte[], byte[], byte[], byte[]> Shape => new(_fromAbove, _toBelow, _fromBelow, _toAbove);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, settings, counters);

        private sealed class Logic(Stage stage, FragmentationSettings settings, MeshCounters counters)
            : ProtocolLayerLogic<byte[], byte[], byte[], byte[]>(stage.Shape)
        {
            private const string Tick = "tick";
            private readonly Reassembler _reassembler = new(settings.Limits);
            private readonly RetransmitBuffer? _sent = settings.Retransmit ? new RetransmitBuffer() : null;
            private uint _messageId = (uint)RandomNumberGenerator.GetInt32(1 << 24);
            private bool _ticking;

            protected override void OnFromAbove(byte[] message)
            {
                if (message.Length > Fragmenter.MaxMessageSize(settings.Mtu, settings.Limits.MaxMessageBytes))
                {
                    // Our own message too large for the link: refuse it here rather than have every receiver drop it.
                    counters.Drop(MeshDropReason.ReassemblyTooLarge);
                    return;
                }

                _messageId = FragmentHeader.NextMessageId(_messageId);
                var fragments = Fragmenter.Split(message, _messageId, settings.Mtu);
                _sent?.Remember(_messageId, fragments, Now);
                foreach (var fragment in fragments) SendDown(fragment);
            }

            protected override void OnFromBelow(byte[] frame)
            {
                if (!FragmentHeader.TryRead(frame, out var header))
                {
                    counters.Drop(MeshDropReason.FragmentInvalid);
                    return;
                }

                if (header.Kind == FragmentHeader.NackKind)
                {
                    if (_sent is null) return;
                    var refused = _sent.Refused;
                    foreach (var fragment in _sent.Answer(header, frame, Now)) SendDown(fragment);
                    if (_sent.Refused > refused) counters.Drop(MeshDropReason.NackRefused);
                    return;
                }

                switch (_reassembler.Accept(header, frame.AsSpan(FragmentHeader.Size), Now, out var message, out var drop))
                {
                    case ReassemblyOutcome.Complete:
                        SendUp(message!);
                        break;
                    case ReassemblyOutcome.Dropped:
                        counters.Drop(drop);
                        break;
                    case ReassemblyOutcome.Pending when !_ticking:
                        _ticking = true;
                        ScheduleRepeatedly(Tick, settings.Tick);
                        break;
                }

                CountEvictions();
            }

            protected override void OnTimer(object timerKey)
            {
                var now = Now;
                if (settings.Retransmit)
                    foreach (var nack in _reassembler.DueNacks(now))
                        SendDown(nack);
                for (var expired = _reassembler.Expire(now); expired > 0; expired--) counters.Drop(MeshDropReason.ReassemblyTimeout);
                if (_reassembler.PartialCount == 0)
                {
                    CancelTimer(Tick);
                    _ticking = false;
                }

                Flush();
            }

            private long _evictionsCounted;

            private void CountEvictions()
            {
                for (; _evictionsCounted < _reassembler.Evicted; _evictionsCounted++) counters.Drop(MeshDropReason.ReassemblyEvicted);
            }
        }
    }
}
