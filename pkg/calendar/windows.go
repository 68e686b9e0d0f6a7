package calendar

// windowsZone maps a Windows time-zone name, as Outlook and Exchange write in TZID, to its
// IANA name (CLDR windowsZones.xml, territory "001"). A switch rather than a map keeps the
// table out of package state.
func windowsZone(name string) (string, bool) {
	switch name {
	case "Dateline Standard Time":
		return "Etc/GMT+12", true
	case "UTC-11":
		return "Etc/GMT+11", true
	case "Hawaiian Standard Time":
		return "Pacific/Honolulu", true
	case "Alaskan Standard Time":
		return "America/Anchorage", true
	case "Pacific Standard Time (Mexico)":
		return "America/Tijuana", true
	case "Pacific Standard Time":
		return "America/Los_Angeles", true
	case "US Mountain Standard Time":
		return "America/Phoenix", true
	case "Mountain Standard Time (Mexico)":
		return "America/Mazatlan", true
	case "Mountain Standard Time":
		return "America/Denver", true
	case "Central America Standard Time":
		return "America/Guatemala", true
	case "Central Standard Time":
		return "America/Chicago", true
	case "Central Standard Time (Mexico)":
		return "America/Mexico_City", true
	case "Canada Central Standard Time":
		return "America/Regina", true
	case "SA Pacific Standard Time":
		return "America/Bogota", true
	case "Eastern Standard Time":
		return "America/New_York", true
	case "Eastern Standard Time (Mexico)":
		return "America/Cancun", true
	case "US Eastern Standard Time":
		return "America/Indiana/Indianapolis", true
	case "Venezuela Standard Time":
		return "America/Caracas", true
	case "Atlantic Standard Time":
		return "America/Halifax", true
	case "SA Western Standard Time":
		return "America/La_Paz", true
	case "Pacific SA Standard Time":
		return "America/Santiago", true
	case "Newfoundland Standard Time":
		return "America/St_Johns", true
	case "E. South America Standard Time":
		return "America/Sao_Paulo", true
	case "Argentina Standard Time":
		return "America/Argentina/Buenos_Aires", true
	case "SA Eastern Standard Time":
		return "America/Cayenne", true
	case "Greenland Standard Time":
		return "America/Nuuk", true
	case "Montevideo Standard Time":
		return "America/Montevideo", true
	case "UTC-02":
		return "Etc/GMT+2", true
	case "Azores Standard Time":
		return "Atlantic/Azores", true
	case "Cape Verde Standard Time":
		return "Atlantic/Cape_Verde", true
	case "UTC":
		return "Etc/UTC", true
	case "GMT Standard Time":
		return "Europe/London", true
	case "Greenwich Standard Time":
		return "Atlantic/Reykjavik", true
	case "Morocco Standard Time":
		return "Africa/Casablanca", true
	case "W. Europe Standard Time":
		return "Europe/Berlin", true
	case "Central Europe Standard Time":
		return "Europe/Budapest", true
	case "Romance Standard Time":
		return "Europe/Paris", true
	case "Central European Standard Time":
		return "Europe/Warsaw", true
	case "W. Central Africa Standard Time":
		return "Africa/Lagos", true
	case "GTB Standard Time":
		return "Europe/Bucharest", true
	case "E. Europe Standard Time":
		return "Europe/Chisinau", true
	case "FLE Standard Time":
		return "Europe/Kiev", true
	case "Israel Standard Time":
		return "Asia/Jerusalem", true
	case "Egypt Standard Time":
		return "Africa/Cairo", true
	case "South Africa Standard Time":
		return "Africa/Johannesburg", true
	case "Jordan Standard Time":
		return "Asia/Amman", true
	case "Middle East Standard Time":
		return "Asia/Beirut", true
	case "Turkey Standard Time":
		return "Europe/Istanbul", true
	case "Arabic Standard Time":
		return "Asia/Baghdad", true
	case "Arab Standard Time":
		return "Asia/Riyadh", true
	case "Russian Standard Time":
		return "Europe/Moscow", true
	case "E. Africa Standard Time":
		return "Africa/Nairobi", true
	case "Iran Standard Time":
		return "Asia/Tehran", true
	case "Arabian Standard Time":
		return "Asia/Dubai", true
	case "Afghanistan Standard Time":
		return "Asia/Kabul", true
	case "Pakistan Standard Time":
		return "Asia/Karachi", true
	case "West Asia Standard Time":
		return "Asia/Tashkent", true
	case "India Standard Time":
		return "Asia/Kolkata", true
	case "Sri Lanka Standard Time":
		return "Asia/Colombo", true
	case "Nepal Standard Time":
		return "Asia/Kathmandu", true
	case "Bangladesh Standard Time":
		return "Asia/Dhaka", true
	case "Myanmar Standard Time":
		return "Asia/Yangon", true
	case "SE Asia Standard Time":
		return "Asia/Bangkok", true
	case "China Standard Time":
		return "Asia/Shanghai", true
	case "Singapore Standard Time":
		return "Asia/Singapore", true
	case "Taipei Standard Time":
		return "Asia/Taipei", true
	case "W. Australia Standard Time":
		return "Australia/Perth", true
	case "Tokyo Standard Time":
		return "Asia/Tokyo", true
	case "Korea Standard Time":
		return "Asia/Seoul", true
	case "Cen. Australia Standard Time":
		return "Australia/Adelaide", true
	case "AUS Central Standard Time":
		return "Australia/Darwin", true
	case "E. Australia Standard Time":
		return "Australia/Brisbane", true
	case "AUS Eastern Standard Time":
		return "Australia/Sydney", true
	case "Tasmania Standard Time":
		return "Australia/Hobart", true
	case "West Pacific Standard Time":
		return "Pacific/Port_Moresby", true
	case "New Zealand Standard Time":
		return "Pacific/Auckland", true
	case "Fiji Standard Time":
		return "Pacific/Fiji", true
	case "Tonga Standard Time":
		return "Pacific/Tongatapu", true
	}
	return "", false
}
