"""Administrative divisions (行政区划) and the organisation units that work in them."""
