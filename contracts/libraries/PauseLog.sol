// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title PauseLog
 * @notice The history of the times something was paused, kept so that a time window (a compliance surrender window)
 * can be extended by the time paused during it: no pause takes time away from a window.
 * @dev `bounds` alternates the start and end timestamps of the pauses: [pausedAt, unpausedAt, pausedAt, ...]; an odd
 * length means a pause is running. Pauses are rare acts of the PAUSER, so the part a window reads stays short.
 */
library PauseLog {
    struct Log {
        uint64[] bounds;
    }

    /// @dev Records a pause starting or ending now.
    function record(Log storage log) internal {
        log.bounds.push(uint64(block.timestamp));
    }

    /// @dev Index of the first bound of the oldest pause that ended after `from` or is running (the length when none).
    function _firstAfter(uint64[] storage bounds, uint256 n, uint64 from) private view returns (uint256 first) {
        // A running pause (odd length) always counts: start from the last complete one.
        first = n - (n % 2);
        while (first != 0 && bounds[first - 1] > from) first -= 2;
    }

    /**
     * @dev The pauses that ended after `from` (or are running, ending now), oldest first, as [start, end, ...].
     */
    function since(Log storage log, uint64 from) internal view returns (uint64[] memory intervals) {
        uint64[] storage bounds = log.bounds;
        uint256 n = bounds.length;
        uint256 first = _firstAfter(bounds, n, from);
        uint256 total = n + (n % 2);
        intervals = new uint64[](total - first);
        for (uint256 i = first; i < total; ++i) {
            intervals[i - first] = i < n ? bounds[i] : uint64(block.timestamp);
        }
    }

    /**
     * @dev The end of the window `[opensAt, closesAt)` pushed back by the time paused during it: every paused second
     * that falls inside the window as it grows moves its end one second later (a running pause counts until now).
     */
    function extend(Log storage log, uint64 opensAt, uint64 closesAt) internal view returns (uint64 end) {
        uint64[] storage bounds = log.bounds;
        uint256 n = bounds.length;
        end = closesAt;
        for (uint256 i = _firstAfter(bounds, n, opensAt); i < n; i += 2) {
            uint64 start = bounds[i];
            if (start >= end) break;
            uint64 stop = i + 1 < n ? bounds[i + 1] : uint64(block.timestamp);
            end += stop - (start > opensAt ? start : opensAt);
        }
    }
}
