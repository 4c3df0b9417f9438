import ChannelKPI
