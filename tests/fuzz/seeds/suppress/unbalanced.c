// tether:ignore-end
// NOLINTEND
// tether:ignore-begin
// NOLINTBEGIN(
