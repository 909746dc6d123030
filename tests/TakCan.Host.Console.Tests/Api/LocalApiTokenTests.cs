using System.Net;
using System.Net.Http.Headers;
using TakCan.Actors.Situation.Contacts;
using TakCan.Host.Console.Api;

namespace TakCan.Host.Console.Tests.Api;

public sealed class LocalApiTokenTests
{
    private const string Token = "correct-horse-battery-staple";

    [Fact]
    public async Task With_a_token_every_request_must_carry_it()
    {
        await using var h = await ApiHarness.StartAsync(new() { Token = Token, RequireToken = true });
        h.Contacts.Reply = _ => new ContactsProtocol.ContactList([]);
        Assert.True(h.Api.TokenRequired);

        using var none = await h.Http.GetAsync("api/contacts");
        await ApiHarness.ErrorAsync(none, 401);
        Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);

        foreach (var wrong in new[] { "Bearer wrong", $"Bearer {Token}x", $"Bearer {Token[..^1]}", $"Basic {Token}", Token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/contacts");
            request.Headers.TryAddWithoutValidation("Authorization", wrong);
            await ApiHarness.ErrorAsync(await h.Http.SendAsync(request), 401);
        }

        // Unknown paths and bad bodies are refused before anyone can learn anything from them.
        await ApiHarness.ErrorAsync(await h.Http.GetAsync("api/nothing-here"), 401);
        await ApiHarness.ErrorAsync(await h.Http.PostAsync("api/chat", ApiHarness.Json("{")), 401);
        Assert.Empty(h.Contacts.Received);

        h.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync("api/contacts")).StatusCode);

        // With a token the Host header is no longer what keeps web pages out.
        using var anyHost = new HttpRequestMessage(HttpMethod.Get, "api/contacts") { Headers = { Host = "takcan.example" } };
        Assert.Equal(HttpStatusCode.OK, (await h.Http.SendAsync(anyHost)).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://192.168.1.20:8780")]
    public async Task Bound_beyond_loopback_it_refuses_to_start_without_a_token(string url)
    {
        var e = await Assert.ThrowsAsync<LocalApiException>(() => ApiHarness.StartAsync(new() { Url = url }));
        Assert.Contains("token", e.Message);
    }

    [Fact]
    public async Task Bound_to_every_address_it_wants_the_token_even_from_loopback()
    {
        await using var h = await ApiHarness.StartAsync(new() { Url = "http://0.0.0.0:0", Token = Token });
        h.Contacts.Reply = _ => new ContactsProtocol.ContactList([]);
        Assert.True(h.Api.TokenRequired);

        await ApiHarness.ErrorAsync(await h.Http.GetAsync("api/contacts"), 401);
        h.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync("api/contacts")).StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "short", "at least 16")]
    [InlineData("https://127.0.0.1:8780", null, "http://")]
    [InlineData("http://mynode.local:8780", null, "IP address or localhost")]
    [InlineData("http://127.0.0.1:8780/api", null, "HOST:PORT")]
    [InlineData("not a url", null, "http://")]
    public async Task A_configuration_it_cannot_honour_is_refused_with_what_to_change(string url, string? token, string message)
    {
        var e = await Assert.ThrowsAsync<LocalApiException>(() => ApiHarness.StartAsync(new() { Url = url, Token = token, RequireToken = token is not null }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task A_port_already_taken_is_refused_with_the_address()
    {
        await using var first = await ApiHarness.StartAsync();
        var url = $"http://127.0.0.1:{first.Api.Url.Port}";

        var e = await Assert.ThrowsAsync<LocalApiException>(() => ApiHarness.StartAsync(new() { Url = url }));
        Assert.Contains(url, e.Message);
    }
}
