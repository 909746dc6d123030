using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// TAK Server's JSON answer to <c>POST /Marti/api/tls/signClient/v2</c> with <c>Accept: application/json</c>:
/// <c>{"signedCert": "…", "ca0": "…", "ca1": "…"}</c>, each a base64 DER certificate without PEM lines (TAK Server
/// breaks the base64 every 64 characters; some servers add PEM lines, both are read). <c>ca0</c> is the issuing CA,
/// then up the chain.
/// </summary>
/// <remarks>The certificates are the caller's to dispose.</remarks>
public sealed record SignClientResponse
{
    public const int MaxCharacters = 256 * 1024;
    public const int MaxCaCertificates = 16;

    private const string SignedCertName = "signedCert";

    public SignClientResponse(X509Certificate2 signedCertificate, IReadOnlyList<X509Certificate2> caCertificates)
    {
        ArgumentNullException.ThrowIfNull(signedCertificate);
        ArgumentNullException.ThrowIfNull(caCertificates);
        SignedCertificate = signedCertificate;
        CaCertificates = caCertificates.ToArray();
    }

    /// <summary>The device's certificate (public part only).</summary>
    public X509Certificate2 SignedCertificate { get; }

    /// <summary><c>ca0</c>, <c>ca1</c>… in index order.</summary>
    public IReadOnlyList<X509Certificate2> CaCertificates { get; }

    /// <exception cref="EnrolmentException">Not the signClient JSON, no signedCert, or a value that is not a certificate.</exception>
    public static SignClientResponse Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string what = "server's signClient answer";
        if (json.Length > MaxCharacters)
            throw new EnrolmentException($"the {what} is {json.Length} characters long, more than the {MaxCharacters} TAK Can accepts");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            throw new EnrolmentException($"the {what} is not JSON; is the server a TAK Server? ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new EnrolmentException($"the {what} is not a JSON object with signedCert and ca0…");

            string? signed = null;
            var cas = new SortedDictionary<int, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == SignedCertName)
                {
                    signed = Text(property);
                }
                else if (property.Name.Length > 2 && property.Name.StartsWith("ca", StringComparison.Ordinal) &&
                         property.Name.Length <= 4 && property.Name[2..].All(char.IsAsciiDigit) &&
                         int.TryParse(property.Name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    if (cas.Count == MaxCaCertificates)
                        throw new EnrolmentException($"the {what} carries more than {MaxCaCertificates} CA certificates");
                    if (!cas.TryAdd(index, Text(property)))
                        throw new EnrolmentException($"the {what} has {property.Name} twice");
                }

                // Other members are ignored: servers may add fields.
            }

            if (signed is null)
                throw new EnrolmentException($"the {what} has no signedCert; the server did not issue a certificate");
            if (cas.Count == 0)
                throw new EnrolmentException($"the {what} has no CA certificate (ca0), so the server cannot be trusted for the CoT stream");

            return new SignClientResponse(
                Certificate(signed, SignedCertName),
                cas.Select(ca => Certificate(ca.Value, $"ca{ca.Key}")).ToArray());
        }

        static string Text(JsonProperty property) => property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw new EnrolmentException($"{property.Name} in the {what} is not a string");
    }

    /// <summary>A certificate from base64 DER, with or without PEM lines and line breaks.</summary>
    internal static X509Certificate2 Certificate(string text, string name)
    {
        var base64 = string.Concat(text
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new EnrolmentException($"{name} in the server's answer is not base64", e);
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new EnrolmentException($"{name} in the server's answer is not an X.509 certificate", e);
        }
    }
}
