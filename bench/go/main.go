// Command tetherbench runs the bench/runtime workloads with goroutines and
// channels: the "Go" column. Usage: tetherbench WORKLOAD [N] [PAIRS]; it
// prints key=value lines like the C programs in bench/c.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func report(key string, v float64) { fmt.Printf("%s=%.3f\n", key, v) }

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", a...)
	os.Exit(1)
}

func expectedSum(n int64) int64 { return n * (n - 1) / 2 }

// 1: unbuffered ping-pong.
func pingpong(n int64) {
	ping, pong := make(chan int64), make(chan int64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for v := range ping {
			pong <- v + 1
		}
	}()
	var v int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		ping <- v
		v = <-pong
	}
	d := time.Since(t0)
	close(ping)
	wg.Wait()
	if v != n {
		die("pingpong: got %d, want %d", v, n)
	}
	report("ns_per_roundtrip", float64(d.Nanoseconds())/float64(n))
}

// 2: buffered (cap 128) throughput over `pairs` producer/consumer pairs.
func buffered(pairs int, n int64) {
	var wg sync.WaitGroup
	sums := make([]int64, pairs)
	wg.Add(2 * pairs)
	t0 := time.Now()
	for p := 0; p < pairs; p++ {
		ch := make(chan int64, 128)
		go func(p int) {
			defer wg.Done()
			var s int64
			for v := range ch {
				s += v
			}
			sums[p] = s
		}(p)
		go func() {
			defer wg.Done()
			for i := int64(0); i < n; i++ {
				ch <- i
			}
			close(ch)
		}()
	}
	wg.Wait()
	d := time.Since(t0)
	for p, s := range sums {
		if s != expectedSum(n) {
			die("buffered: pair %d lost messages", p)
		}
	}
	report("ns_per_msg", float64(d.Nanoseconds())/float64(int64(pairs)*n))
}

// 3: one consumer selecting over 4 unbuffered channels fed by 4 producers.
func selectLoop(n int64) {
	var chs [4]chan int64
	t0 := time.Now()
	for i := range chs {
		chs[i] = make(chan int64)
		go func(ch chan int64) {
			for v := int64(0); v < n; v++ {
				ch <- v
			}
			close(ch)
		}(chs[i])
	}
	a, b, c, d := chs[0], chs[1], chs[2], chs[3]
	var sum, got int64
	for open := 4; open > 0; {
		var v int64
		var ok bool
		select {
		case v, ok = <-a:
			if !ok {
				a = nil
			}
		case v, ok = <-b:
			if !ok {
				b = nil
			}
		case v, ok = <-c:
			if !ok {
				c = nil
			}
		case v, ok = <-d:
			if !ok {
				d = nil
			}
		}
		if !ok {
			open--
			continue
		}
		sum += v
		got++
	}
	el := time.Since(t0)
	if got != 4*n || sum != 4*expectedSum(n) {
		die("select: got %d messages, want %d", got, 4*n)
	}
	report("ns_per_msg", float64(el.Nanoseconds())/float64(4*n))
}

// 4: spawn n goroutines that finish at once, wait for all.
func spawn(n int64) {
	var wg sync.WaitGroup
	wg.Add(int(n))
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go wg.Done()
	}
	wg.Wait()
	report("us_per_task", float64(time.Since(t0).Nanoseconds())/1e3/float64(n))
}

// 5: n goroutines blocked on one context's Done channel, then cancel.
func ctxCancel(n int64) {
	ctx, cancel := context.WithCancel(context.Background())
	var ready, exited sync.WaitGroup
	ready.Add(int(n))
	exited.Add(int(n))
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go func() {
			ready.Done()
			<-ctx.Done()
			exited.Done()
		}()
	}
	ready.Wait()
	setup := time.Since(t0)
	time.Sleep(50 * time.Millisecond) // untimed, as in the C versions
	t2 := time.Now()
	cancel()
	exited.Wait()
	report("setup_ms", float64(setup.Nanoseconds())/1e6)
	report("cancel_ms", float64(time.Since(t2).Nanoseconds())/1e6)
}

// 6: what goleak pays to find n blocked goroutines: one all-goroutine stack
// dump (runtime.Stack(buf, true)) and a count of the goroutines in it.
func verify(n int64) {
	block := make(chan int64)
	var ready, exited sync.WaitGroup
	ready.Add(int(n))
	exited.Add(int(n))
	for i := int64(0); i < n; i++ {
		go func() {
			ready.Done()
			<-block
			exited.Done()
		}()
	}
	ready.Wait()
	time.Sleep(50 * time.Millisecond)
	t0 := time.Now()
	buf := make([]byte, 1<<20)
	for {
		m := runtime.Stack(buf, true)
		if m < len(buf) {
			buf = buf[:m]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	found := int64(bytes.Count(buf, []byte("\ngoroutine "))) // the first is main
	d := time.Since(t0)
	if found < n {
		die("verify: found %d goroutines, want at least %d", found, n)
	}
	close(block)
	exited.Wait()
	report("verify_us", float64(d.Nanoseconds())/1e3)
	report("us_per_task", float64(d.Nanoseconds())/1e3/float64(n))
}

func arg(i int, dflt int64) int64 {
	if i >= len(os.Args) {
		return dflt
	}
	v, err := strconv.ParseInt(os.Args[i], 10, 64)
	if err != nil || v <= 0 {
		die("bad count %q", os.Args[i])
	}
	return v
}

func main() {
	w := ""
	if len(os.Args) > 1 {
		w = os.Args[1]
	}
	switch w {
	case "pingpong":
		pingpong(arg(2, 20000))
	case "buffered":
		buffered(int(arg(3, 1)), arg(2, 200000))
	case "select":
		selectLoop(arg(2, 50000))
	case "spawn":
		spawn(arg(2, 2000))
	case "ctxcancel":
		ctxCancel(arg(2, 10000))
	case "verify":
		verify(arg(2, 1000))
	default:
		die("usage: tetherbench pingpong|buffered|select|spawn|ctxcancel|verify [N] [PAIRS]")
	}
}
