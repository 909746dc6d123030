namespace TakCan.Protocols.Cot;

/// <summary>An XML attribute kept verbatim because the model has no typed property for it.</summary>
public readonly record struct CotAttribute(string Name, string Value);
