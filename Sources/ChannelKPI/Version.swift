public enum ChannelKPIVersion { public static let string = "0.1.0" }
