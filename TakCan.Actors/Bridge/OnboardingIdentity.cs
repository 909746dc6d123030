using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Bridge;

/// <summary>The client certificate (with its private key) a device onboards with, and the CA certificates to send after it.</summary>
public sealed record OnboardingIdentity(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain);
