using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot.Json;
using static TakCan.Actors.Ui.UiProtocol;

namespace TakCan.Host.Console.Api;

/// <summary><c>GET /api/events</c>: what the UI actor fans out, one server-sent event each, <c>{"kind", "time", "payload"}</c>.</summary>
internal static class ApiEvents
{
    /// <summary>
    /// Reads one UI queue until the client leaves or the API stops, then gives the queue back. The queue is the UI
    /// actor's bounded one, so a client that reads slowly loses its own oldest events and nothing else.
    /// </summary>
    public static async IAsyncEnumerable<string> StreamAsync(
        QueueSubscribed subscription,
        IActorRef ui,
        HttpResponse response,
        CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellation);
        try
        {
            // The SSE result sends its headers with the first event, which may be long in coming: a client should know
            // at once that it is subscribed.
            if (!await FlushAsync(response, linked.Token)) yield break;
            while (await WaitAsync(subscription, linked.Token))
            {
                while (subscription.Events.TryRead(out var evt)) yield return ToJson(evt);
            }
        }
        finally
        {
            ui.Tell(new UnsubscribeQueue(subscription.Id));
        }
    }

    private static async Task<bool> FlushAsync(HttpResponse response, CancellationToken cancellation)
    {
        try
        {
            await response.Body.FlushAsync(cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitAsync(QueueSubscribed subscription, CancellationToken cancellation)
    {
        try
        {
            return await subscription.Events.WaitToReadAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static string ToJson(UiEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, CotJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", evt.Kind);
            writer.WriteString("time", evt.Time);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(Payload(evt.Payload), skipInputValidation: true);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An event's payload as JSON; CoT as CoT JSON (specs/cot-json.md), anything else by its properties.</summary>
    private static byte[] Payload(object payload)
    {
        try
        {
            if (payload is DeviceProtocol.CotReceived received)
            {
                var buffer = new ArrayBufferWriter<byte>(1024);
                using (var writer = new Utf8JsonWriter(buffer, CotJson.WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("event");
                    CotJson.Write(received.Event, writer);
                    writer.WritePropertyName("source");
                    JsonSerializer.Serialize(writer, received.Source, ApiJson.Options);
                    writer.WriteEndObject();
                }

                return buffer.WrittenSpan.ToArray();
            }

            return JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), ApiJson.Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            // One payload the API cannot show must not end the stream for every other event.
            return JsonSerializer.SerializeToUtf8Bytes(new { error = $"payload {payload.GetType().Name} cannot be shown as JSON: {e.Message}" }, ApiJson.Options);
        }
    }
}
