import Foundation
import Synchronization
import VigilIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the pipe the signal handler writes to; set once, before the handlers are installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Turns SIGINT, SIGTERM and SIGHUP into requests the tail acts on between records.
///
/// A signal handler may do almost nothing safely, so it only writes the signal's number to a
/// pipe. A thread of this type reads the pipe and sets the requests: `stop` (which also cancels a
/// read in progress, so that a large file does not hold up the exit) and `reload`. Each request
/// also writes to `wakeDescriptor`, which the tail's loop waits on beside inotify. A second
/// SIGINT or SIGTERM while stopping ends the process at once, as a user pressing Ctrl-C twice
/// expects; the state stays consistent (a crash loses nothing).
///
/// Made first thing by `vigil tail`, before the rules load, so that a signal in the first moments
/// also stops the tail cleanly.
public final class TailSignals: Sendable {
    /// Set by SIGINT or SIGTERM; cancels the read in progress.
    let stop = ReadCancellation()
    private let reloadRequested = Atomic<Bool>(false)
    /// Readable when a request was made: the loop's wake-up.
    let wakeDescriptor: Int32
    private let wakeWriteEnd: Int32

    /// Installs the handlers (once per process) and starts the thread.
    public init() {
        var signalPipe: [Int32] = [-1, -1]
        var wakePipe: [Int32] = [-1, -1]
        _ = pipe(&signalPipe)
        _ = pipe(&wakePipe)
        for descriptor in signalPipe + wakePipe {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        _ = fcntl(wakePipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(wakePipe[1], F_SETFL, O_NONBLOCK)
        wakeDescriptor = wakePipe[0]
        wakeWriteEnd = wakePipe[1]
        signalPipeWriteEnd = signalPipe[1]
        for number in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            #endif
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
        // A parent may have started us with these signals blocked (some process launchers do),
        // and a blocked signal never reaches its handler.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        let readEnd = signalPipe[0]
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { return }
                handle(Int32(byte))
            }
        }
        thread.name = "vigil signals"
        thread.start()
    }

    private func handle(_ number: Int32) {
        switch number {
        case SIGHUP:
            reloadRequested.store(true, ordering: .sequentiallyConsistent)
        default:
            if stop.isCancelled {
                StandardError.write("vigil tail: stopping now\n")
                _exit(130)
            }
            stop.cancel()
        }
        wake()
    }

    /// Wakes the loop (also used by the loop's own helpers).
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteEnd, &byte, 1)
    }

    /// Empties the wake-up pipe.
    func drainWakeups() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wakeDescriptor, $0.baseAddress!, $0.count) }) > 0 {}
    }

    /// Whether SIGHUP came since the last call.
    func takeReloadRequest() -> Bool {
        reloadRequested.exchange(false, ordering: .sequentiallyConsistent)
    }

    var isStopping: Bool { stop.isCancelled }
}
