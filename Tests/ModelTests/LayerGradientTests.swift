import XCTest
@testable import Model
@testable import Tensor

/// Finite-difference checks (float64, central differences) of every layer against its backward pass.
/// Each layer's loss is L = Σ r ⊙ output for a fixed random r, so dL/doutput = r.
final class LayerGradientTests: XCTestCase {
    /// A Double buffer filled from an array (stable pointer, no exclusivity conflicts inside loss closures).
    func buffer(_ values: [Double]) -> Buffer<Double> {
        let b = Buffer<Double>()
        b.assign(values)
        return b
    }

    func testEmbedding() {
        let V = 6, E = 3, N = 5
        var table = randomArray(V * E, seed: 1)
        let ids: [Int32] = [2, 0, 2, 5, 1]
        let r = randomArray(N * E, seed: 2)
        func loss(_ t: UnsafeMutablePointer<Double>) -> Double {
            var out = [Double](repeating: 0, count: N * E)
            embeddingForward(table: t, ids: ids, out: &out, count: N, size: E)
            return zip(out, r).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var dTable = [Double](repeating: 0, count: V * E)
        embeddingBackward(ids: ids, dOut: r, dTable: &dTable, count: N, size: E)
        table.withUnsafeMutableBufferPointer { t in
            checkGradient("embedding", values: t.baseAddress!, count: V * E, analytic: dTable) { loss(t.baseAddress!) }
        }
    }

    func testLSTM() { checkRecurrent(.lstm) }
    func testGRU() { checkRecurrent(.gru) }

    func checkRecurrent(_ cell: VAEConfig.Cell) {
        let In = 3, H = 4, T = 4, B = 2
        let layer = RecurrentLayer<Double>(prefix: "rnn", cell: cell, inputSize: In, hiddenSize: H)
        for (k, p) in layer.parameters.enumerated() { p.value = randomArray(p.count, seed: 10 + UInt64(k), scale: 0.6) }
        let x = buffer(randomArray(T * B * In, seed: 3))
        let extra = buffer(randomArray(B * layer.gateWidth, seed: 4, scale: 0.5))
        let h0 = buffer(randomArray(B * H, seed: 5, scale: 0.5))
        let r = randomArray(T * B * H, seed: 6)
        func loss() -> Double {
            layer.forward(x: x.pointer, steps: T, batch: B, extra: extra.pointer, h0: h0.pointer)
            var s = 0.0
            for i in 0..<(T * B * H) { s += layer.outputs[i] * r[i] }
            return s
        }
        _ = loss()
        for p in layer.parameters { p.zeroGradient() }
        var dx = [Double](repeating: 0, count: x.count)
        var dExtra = [Double](repeating: 0, count: extra.count)
        var dh0 = [Double](repeating: 0, count: h0.count)
        layer.backward(x: x.pointer, dOutputs: r, dx: &dx, dExtra: &dExtra, dh0: &dh0)
        let tag = cell.rawValue
        for p in layer.parameters {
            checkGradient("\(tag).\(p.name)", values: p.valuePointer, count: p.count, analytic: p.grad) { loss() }
        }
        checkGradient("\(tag).x", values: x.pointer, count: x.count, analytic: dx) { loss() }
        checkGradient("\(tag).extra", values: extra.pointer, count: extra.count, analytic: dExtra) { loss() }
        checkGradient("\(tag).h0", values: h0.pointer, count: h0.count, analytic: dh0) { loss() }
    }

    /// The gated convolutional decoder alone (two blocks, 8 channels, bottleneck 2, width 3 over 5 steps):
    /// every parameter, the input and z's part against central differences.
    func testGatedConvolution() {
        let In = 3, C = 8, K = 3, T = 5, B = 2
        let layer = GatedConvDecoder<Double>(prefix: "cnn", inputSize: In, channels: C, width: K)
        for (k, p) in layer.parameters.enumerated() { p.value = randomArray(p.count, seed: 20 + UInt64(k), scale: 0.6) }
        let x = buffer(randomArray(T * B * In, seed: 3))
        let extra = buffer(randomArray(B * C, seed: 4, scale: 0.5))
        let r = randomArray(T * B * C, seed: 6)
        func loss() -> Double {
            layer.forward(x: x.pointer, steps: T, batch: B, extra: extra.pointer)
            var s = 0.0
            for i in 0..<(T * B * C) { s += layer.outputs[i] * r[i] }
            return s
        }
        _ = loss()
        for p in layer.parameters { p.zeroGradient() }
        var dx = [Double](repeating: 0, count: x.count)
        var dExtra = [Double](repeating: 0, count: extra.count)
        layer.backward(x: x.pointer, dOutputs: r, dx: &dx, dExtra: &dExtra)
        XCTAssertEqual(layer.parameters.count, 2 * 14)
        for p in layer.parameters {
            checkGradient("cnn.\(p.name)", values: p.valuePointer, count: p.count, analytic: p.grad) { loss() }
        }
        checkGradient("cnn.x", values: x.pointer, count: x.count, analytic: dx) { loss() }
        checkGradient("cnn.extra", values: extra.pointer, count: extra.count, analytic: dExtra) { loss() }
    }

    /// Causal: changing the input at time t changes no output before t, and changes output t (and later ones
    /// within the receptive field). Incremental decoding gives the teacher-forced outputs position by position.
    func testGatedConvolutionIsCausalAndStepsMatchForward() {
        let In = 3, C = 8, K = 3, T = 6, B = 2
        let layer = GatedConvDecoder<Double>(prefix: "cnn", inputSize: In, channels: C, width: K)
        for (k, p) in layer.parameters.enumerated() { p.value = randomArray(p.count, seed: 40 + UInt64(k), scale: 0.6) }
        let x = buffer(randomArray(T * B * In, seed: 7))
        let extra = buffer(randomArray(B * C, seed: 8, scale: 0.5))
        layer.forward(x: x.pointer, steps: T, batch: B, extra: extra.pointer)
        let before = (0..<(T * B * C)).map { layer.outputs[$0] }
        let t0 = 3
        x[t0 * B * In] += 1   // sentence 0's input at time 3
        layer.forward(x: x.pointer, steps: T, batch: B, extra: extra.pointer)
        let after = (0..<(T * B * C)).map { layer.outputs[$0] }
        for t in 0..<T {
            for b in 0..<B {
                let changed = (0..<C).contains { before[(t * B + b) * C + $0] != after[(t * B + b) * C + $0] }
                XCTAssertEqual(changed, t >= t0 && b == 0, "time \(t), row \(b)")
            }
        }
        let state = layer.makeDecodeState(batch: B, maxLength: T)
        let out = buffer([Double](repeating: 0, count: B * C))
        for t in 0..<T {
            layer.step(u: x.pointer + t * B * In, extra: extra.pointer, state: state, out: out.pointer)
            for i in 0..<(B * C) { XCTAssertEqual(out[i], after[t * B * C + i], accuracy: 1e-12, "step \(t)") }
        }
    }

    func testPoolings() {
        let T = 4, B = 3, H = 5
        let lengths: [Int32] = [4, 2, 1]
        let r = randomArray(B * H, seed: 7)
        for kind in VAEConfig.Pooling.allCases {
            var hs = randomArray(T * B * H, seed: 8)
            var arg = [Int32](repeating: 0, count: B * H)
            func loss(_ p: UnsafeMutablePointer<Double>) -> Double {
                var out = [Double](repeating: 0, count: B * H)
                poolForward(kind, hs: p, lengths: lengths, out: &out, arg: &arg, batch: B, hidden: H)
                return zip(out, r).reduce(0) { $0 + $1.0 * $1.1 }
            }
            hs.withUnsafeMutableBufferPointer { p in
                _ = loss(p.baseAddress!)
                var dhs = [Double](repeating: 0, count: T * B * H)
                poolBackward(kind, dOut: r, lengths: lengths, arg: arg, dhs: &dhs, batch: B, hidden: H)
                // Padded positions (t ≥ L_b) must get exactly zero gradient.
                for b in 0..<B { for t in Int(lengths[b])..<T { for d in 0..<H {
                    XCTAssertEqual(dhs[(t * B + b) * H + d], 0, "pooling \(kind) leaks gradient into padding")
                } } }
                checkGradient("pooling.\(kind)", values: p.baseAddress!, count: p.count, analytic: dhs) { loss(p.baseAddress!) }
            }
        }
    }

    func testAbsMaxKeepsSign() {
        let hs: [Double] = [0.5, -0.9, 0.2]  // (T=3, B=1, H=1)
        var out = [0.0]
        var arg: [Int32] = [0]
        poolForward(.absMax, hs: hs, lengths: [3], out: &out, arg: &arg, batch: 1, hidden: 1)
        XCTAssertEqual(out[0], -0.9)
        poolForward(.absMax, hs: hs, lengths: [1], out: &out, arg: &arg, batch: 1, hidden: 1)
        XCTAssertEqual(out[0], 0.5, "absMax must ignore padding")
        poolForward(.last, hs: hs, lengths: [2], out: &out, arg: &arg, batch: 1, hidden: 1)
        XCTAssertEqual(out[0], -0.9, "last must take the true last token")
    }

    func testLinearHead() {
        let N = 3, In = 4, Out = 2
        let x = buffer(randomArray(N * In, seed: 9))
        let w = buffer(randomArray(In * Out, seed: 10))
        let b = buffer(randomArray(Out, seed: 11))
        let r = randomArray(N * Out, seed: 12)
        func loss() -> Double {
            var y = [Double](repeating: 0, count: N * Out)
            linearForward(x: x.pointer, w: w.pointer, b: b.pointer, y: &y, rows: N, inputs: In, outputs: Out)
            return zip(y, r).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var dW = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: b.count)
        var dx = [Double](repeating: 0, count: x.count)
        linearBackward(x: x.pointer, w: w.pointer, dy: r, dW: &dW, db: &db, dx: &dx, rows: N, inputs: In, outputs: Out)
        checkGradient("head.W", values: w.pointer, count: w.count, analytic: dW) { loss() }
        checkGradient("head.b", values: b.pointer, count: b.count, analytic: db) { loss() }
        checkGradient("head.x", values: x.pointer, count: x.count, analytic: dx) { loss() }
    }

    func testSoftmaxCrossEntropy() {
        let N = 3, V = 5
        let logitBuffer = buffer(randomArray(N * V, seed: 13, scale: 3))
        var logits: [Double] { logitBuffer.array }
        let targets: [Int32] = [0, 4, 2]
        let scale = 0.7
        func loss() -> Double {
            var work = logits
            var rows = [Double](repeating: 0, count: N)
            softmaxCrossEntropyForward(logits: &work, targets: targets, rowLoss: &rows, rows: N, classes: V)
            return scale * rows.reduce(0, +)
        }
        var grad = logits
        var rows = [Double](repeating: 0, count: N)
        softmaxCrossEntropyForward(logits: &grad, targets: targets, rowLoss: &rows, rows: N, classes: V)
        softmaxCrossEntropyBackward(probabilities: &grad, targets: targets, scale: scale, rows: N, classes: V)
        checkGradient("softmaxCrossEntropy.logits", values: logitBuffer.pointer, count: N * V, analytic: grad) { loss() }
        // log-softmax at the target agrees with the loss.
        var row = Array(logits[0..<V])
        XCTAssertEqual(-logSoftmaxAt(&row, target: 0, classes: V), rows[0], accuracy: 1e-12)
    }

    func testPairwiseCosine() {
        let B = 4, D = 3, weight = 1.3
        let hb = buffer(randomArray(B * D, seed: 14))
        var h: [Double] { hb.array }
        var normalized = [Double](repeating: 0, count: B * D), norms = [Double](repeating: 0, count: B)
        func loss() -> Double {
            weight * pairwiseCosineForward(h: h, normalized: &normalized, norms: &norms, batch: B, size: D)
        }
        // Against the definition: mean over i < j of cos(h_i, h_j).
        var direct = 0.0
        for i in 0..<B { for j in (i + 1)..<B {
            var dot = 0.0, ni = 0.0, nj = 0.0
            for d in 0..<D { dot += h[i * D + d] * h[j * D + d]; ni += h[i * D + d] * h[i * D + d]; nj += h[j * D + d] * h[j * D + d] }
            direct += dot / (ni * nj).squareRoot()
        } }
        XCTAssertEqual(loss() / weight, direct / Double(B * (B - 1) / 2), accuracy: 1e-12)
        var dh = [Double](repeating: 0, count: B * D)
        pairwiseCosineBackward(normalized: normalized, norms: norms, weight: weight, dh: &dh, batch: B, size: D)
        checkGradient("cosineRegularizer.h", values: hb.pointer, count: B * D, analytic: dh) { loss() }
        XCTAssertEqual(pairwiseCosineForward(h: h, normalized: &normalized, norms: &norms, batch: 1, size: D), 0)
    }
}
