// The Go column of bench/runtime: standard library only, no dependencies.
module tetherbench

go 1.19
