import VigilTestSupport

/// The `vigil` binary finder, shared with the other command-line tests (VigilTestSupport).
typealias VigilExecutable = VigilTestSupport.VigilExecutable
