import Foundation
import XCTest
@testable import Evaluation
@testable import Training

/// `vaescope sweep slurm`'s job array: packs under MaxArraySize, the task → runs mapping, the script.
final class SlurmJobTests: XCTestCase {
    func testPacksFitMaxArraySize() throws {
        XCTAssertEqual(try SlurmJob.packSize(runs: 4, maxArraySize: 1001), 1)
        XCTAssertEqual(try SlurmJob.packSize(runs: 1001, maxArraySize: 1001), 1, "indices 0…1000")
        XCTAssertEqual(try SlurmJob.packSize(runs: 1002, maxArraySize: 1001), 2)
        XCTAssertEqual(try SlurmJob.packSize(runs: 5000, maxArraySize: 1001), 5)
        XCTAssertEqual(try SlurmJob.packSize(runs: 10, maxArraySize: 4, requested: 5), 5)
        XCTAssertThrowsError(try SlurmJob.packSize(runs: 10, maxArraySize: 4, requested: 2), "5 tasks > 4 indices")
        XCTAssertThrowsError(try SlurmJob.packSize(runs: 0, maxArraySize: 4))
    }

    func testEveryRunBelongsToExactlyOneTask() {
        for (runs, pack) in [(4, 1), (10, 3), (1002, 2), (7, 7)] {
            let tasks = (runs + pack - 1) / pack
            let covered = (0..<tasks).flatMap { Array(SlurmJob.runIndices(task: $0, pack: pack, runs: runs)) }
            XCTAssertEqual(covered, Array(0..<runs), "\(runs) runs in packs of \(pack)")
            XCTAssertTrue(SlurmJob.runIndices(task: tasks, pack: pack, runs: runs).isEmpty)
        }
    }

    func testMaxArraySizeIsReadFromScontrol() {
        let text = "MailProg                = /bin/mail\nMaxArraySize            = 1001\nMaxJobCount             = 10000\n"
        XCTAssertEqual(SlurmJob.maxArraySize(fromConfig: text), 1001)
        XCTAssertNil(SlurmJob.maxArraySize(fromConfig: "nothing here"))
    }

    func testScriptArrayThrottleOptionsAndJournal() {
        let job = SlurmJob(sweepName: "pool", sweepFile: "/nfs/me/sweep it.yaml", executable: "/opt/vaescope/bin/vaescope",
                           storeDirectory: "/nfs/me/pool", runs: 10, pack: 3, maxParallel: 2,
                           options: ["--partition=gpu", "--time=04:00:00"], overrides: ["maxSteps=100"])
        let s = job.script
        let lines = s.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "#!/bin/bash")
        XCTAssertTrue(lines.contains("#SBATCH --array=0-3%2"), s)
        XCTAssertTrue(lines.contains("#SBATCH --partition=gpu") && lines.contains("#SBATCH --time=04:00:00"), s)
        XCTAssertTrue(lines.contains("#SBATCH --requeue"))
        XCTAssertTrue(lines.contains("#SBATCH --output=/nfs/me/pool/slurm/%A_%a.out"), s)
        XCTAssertTrue(lines.contains("export VAESCOPE_JOURNAL=delete"))
        XCTAssertEqual(lines.last, "exec /opt/vaescope/bin/vaescope sweep task '/nfs/me/sweep it.yaml' --index \"$SLURM_ARRAY_TASK_ID\" --pack 3 --set maxSteps=100")
        // Every #SBATCH line comes before the first command (sbatch stops reading options there).
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") } ?? lines.count
        XCTAssertFalse(lines[firstCommand...].contains { $0.hasPrefix("#SBATCH") })
        XCTAssertEqual(SlurmJob.shellQuoted("it's"), "'it'\\''s'")
        XCTAssertEqual(SlurmJob.unsafeInDirective(["/nfs/me/pool", "--time=04:00:00"]), nil)
        XCTAssertEqual(SlurmJob.unsafeInDirective(["/nfs/my sweeps", "x"]), "/nfs/my sweeps", "sbatch does not read shell quotes")
    }
}
