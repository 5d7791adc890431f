;; WebAssembly SIMD (f64x2) kernels for the probe pipeline's hot loops (see wasm-kernels.ts for the JS side).
;; Assembled by `npm run build:probe-kernels` into probe-kernels-wasm.ts (base64); a test checks the two agree.
;;
;; All arrays live in the module's one memory (byte offsets, row-major, 16-byte aligned by the caller), so a
;; kernel call copies nothing. Every product and sum is float64 (float32 inputs are promoted first); only the
;; summation order differs from the scalar code (several accumulators), i.e. results agree to rounding.
(module
  ;; residuals(i, count): JS turns margins marg[i..i+count) into residuals resid[i..i+count) (and accumulates the
  ;; loss), because it needs exp/log1p, which WebAssembly lacks.
  (import "env" "residuals" (func $residuals (param i32 i32)))
  (memory (export "memory") 1)

  ;; Σ of a f64x2's two lanes.
  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; The logistic-regression pass: for every row block, margins m = X·θ (X float32 n×d at $x, θ float64 at $theta)
  ;; into $marg, then residuals from JS into $resid, then grad += Σ resid_i x_i (grad float64 d at $grad, zeroed
  ;; here). Rows are taken 4 at a time so that θ is read once per 4 margins, grad is read and written once per 4
  ;; rows, and the block (4 × d float32) is still in cache when the gradient re-reads it: one pass over X.
  (func (export "lr_pass") (param $x i32) (param $n i32) (param $d i32) (param $theta i32) (param $grad i32)
        (param $marg i32) (param $resid i32)
    (local $i i32) (local $k i32) (local $d4 i32) (local $row i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $pt i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $t0 v128) (local $t1 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $m0 f64) (local $m1 f64) (local $m2 f64) (local $m3 f64)
    (local $s f64)
    (memory.fill (local.get $grad) (i32.const 0) (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (local.set $i (i32.const 0))
    ;; ---- blocks of 4 rows ----
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $row)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $row)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $row)))
        (local.set $pt (local.get $theta))
        (local.set $a0 (v128.const i64x2 0 0)) (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0)) (local.set $a3 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0)) (local.set $b1 (v128.const i64x2 0 0))
        (local.set $b2 (v128.const i64x2 0 0)) (local.set $b3 (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $mdone
          (loop $m
            (br_if $mdone (i32.ge_s (local.get $k) (local.get $d4)))
            (local.set $t0 (v128.load (local.get $pt)))
            (local.set $t1 (v128.load offset=16 (local.get $pt)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p0))) (local.get $t0))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p0) (i32.const 8)))) (local.get $t1))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p1))) (local.get $t0))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p1) (i32.const 8)))) (local.get $t1))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2))) (local.get $t0))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p2) (i32.const 8)))) (local.get $t1))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p3))) (local.get $t0))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p3) (i32.const 8)))) (local.get $t1))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $m)))
        (local.set $m0 (call $hsum (f64x2.add (local.get $a0) (local.get $b0))))
        (local.set $m1 (call $hsum (f64x2.add (local.get $a1) (local.get $b1))))
        (local.set $m2 (call $hsum (f64x2.add (local.get $a2) (local.get $b2))))
        (local.set $m3 (call $hsum (f64x2.add (local.get $a3) (local.get $b3))))
        ;; scalar tail (d not a multiple of 4)
        (block $tdone
          (loop $t
            (br_if $tdone (i32.ge_s (local.get $k) (local.get $d)))
            (local.set $s (f64.load (local.get $pt)))
            (local.set $m0 (f64.add (local.get $m0) (f64.mul (f64.promote_f32 (f32.load (local.get $p0))) (local.get $s))))
            (local.set $m1 (f64.add (local.get $m1) (f64.mul (f64.promote_f32 (f32.load (local.get $p1))) (local.get $s))))
            (local.set $m2 (f64.add (local.get $m2) (f64.mul (f64.promote_f32 (f32.load (local.get $p2))) (local.get $s))))
            (local.set $m3 (f64.add (local.get $m3) (f64.mul (f64.promote_f32 (f32.load (local.get $p3))) (local.get $s))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 4)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 4)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $t)))
        (f64.store (i32.add (local.get $marg) (i32.shl (local.get $i) (i32.const 3))) (local.get $m0))
        (f64.store offset=8 (i32.add (local.get $marg) (i32.shl (local.get $i) (i32.const 3))) (local.get $m1))
        (f64.store offset=16 (i32.add (local.get $marg) (i32.shl (local.get $i) (i32.const 3))) (local.get $m2))
        (f64.store offset=24 (i32.add (local.get $marg) (i32.shl (local.get $i) (i32.const 3))) (local.get $m3))
        (call $residuals (local.get $i) (i32.const 4))
        ;; grad += r0 x0 + r1 x1 + r2 x2 + r3 x3
        (local.set $r0 (f64x2.splat (f64.load (i32.add (local.get $resid) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $r1 (f64x2.splat (f64.load offset=8 (i32.add (local.get $resid) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $r2 (f64x2.splat (f64.load offset=16 (i32.add (local.get $resid) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $r3 (f64x2.splat (f64.load offset=24 (i32.add (local.get $resid) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $row)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $row)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $row)))
        (local.set $pt (local.get $grad))
        (local.set $k (i32.const 0))
        (block $gdone
          (loop $g
            (br_if $gdone (i32.ge_s (local.get $k) (local.get $d4)))
            (v128.store (local.get $pt)
              (f64x2.add (v128.load (local.get $pt))
                (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $r0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p0)))) (f64x2.mul (local.get $r1) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p1)))))
                  (f64x2.add (f64x2.mul (local.get $r2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2)))) (f64x2.mul (local.get $r3) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p3))))))))
            (v128.store offset=16 (local.get $pt)
              (f64x2.add (v128.load offset=16 (local.get $pt))
                (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $r0) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p0) (i32.const 8))))) (f64x2.mul (local.get $r1) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p1) (i32.const 8))))))
                  (f64x2.add (f64x2.mul (local.get $r2) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p2) (i32.const 8))))) (f64x2.mul (local.get $r3) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p3) (i32.const 8)))))))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $g)))
        (block $gtdone
          (loop $gt
            (br_if $gtdone (i32.ge_s (local.get $k) (local.get $d)))
            (f64.store (local.get $pt)
              (f64.add (f64.load (local.get $pt))
                (f64.add
                  (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $r0)) (f64.promote_f32 (f32.load (local.get $p0))))
                           (f64.mul (f64x2.extract_lane 0 (local.get $r1)) (f64.promote_f32 (f32.load (local.get $p1)))))
                  (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $r2)) (f64.promote_f32 (f32.load (local.get $p2))))
                           (f64.mul (f64x2.extract_lane 0 (local.get $r3)) (f64.promote_f32 (f32.load (local.get $p3))))))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 4)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 4)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $gt)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks)))
    ;; ---- remaining rows, one at a time ----
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
        (local.set $pt (local.get $theta))
        (local.set $m0 (f64.const 0))
        (local.set $k (i32.const 0))
        (block $m1done
          (loop $m1l
            (br_if $m1done (i32.ge_s (local.get $k) (local.get $d)))
            (local.set $m0 (f64.add (local.get $m0) (f64.mul (f64.promote_f32 (f32.load (local.get $p0))) (f64.load (local.get $pt)))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $m1l)))
        (f64.store (i32.add (local.get $marg) (i32.shl (local.get $i) (i32.const 3))) (local.get $m0))
        (call $residuals (local.get $i) (i32.const 1))
        (local.set $s (f64.load (i32.add (local.get $resid) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
        (local.set $pt (local.get $grad))
        (local.set $k (i32.const 0))
        (block $g1done
          (loop $g1
            (br_if $g1done (i32.ge_s (local.get $k) (local.get $d)))
            (f64.store (local.get $pt) (f64.add (f64.load (local.get $pt)) (f64.mul (local.get $s) (f64.promote_f32 (f32.load (local.get $p0))))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $g1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out (na × nb, float64) = A·Bᵀ for A (na × d) and B (nb × d), float64 row-major. With $sym ≠ 0 (A = B) only
  ;; the entries j ≤ i are guaranteed (the caller mirrors them). The k range is cut into chunks of 512 so that the
  ;; rows a chunk touches stay in cache while every 4×2 tile of the output accumulates over it.
  (func (export "abt") (param $a i32) (param $na i32) (param $b i32) (param $nb i32) (param $d i32) (param $out i32) (param $sym i32)
    (local $kc i32) (local $kend i32) (local $kend2 i32) (local $i i32) (local $j i32) (local $jmax i32) (local $k i32)
    (local $row i32) (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb0 i32) (local $pb1 i32)
    (local $po i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $acc f64)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.mul (local.get $na) (local.get $nb)) (i32.const 3)))
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (local.set $kc (i32.const 0))
    (block $chunks_done
      (loop $chunks
        (br_if $chunks_done (i32.ge_s (local.get $kc) (local.get $d)))
        (local.set $kend (i32.add (local.get $kc) (i32.const 512)))
        (if (i32.gt_s (local.get $kend) (local.get $d)) (then (local.set $kend (local.get $d))))
        (local.set $kend2 (i32.add (local.get $kc) (i32.and (i32.sub (local.get $kend) (local.get $kc)) (i32.const -2))))
        ;; 4-row blocks of A
        (local.set $i (i32.const 0))
        (block $ib_done
          (loop $ib
            (br_if $ib_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $na)))
            (local.set $jmax (if (result i32) (local.get $sym) (then (i32.add (local.get $i) (i32.const 4))) (else (local.get $nb))))
            (local.set $j (i32.const 0))
            ;; 4×2 tiles
            (block $jb_done
              (loop $jb
                (br_if $jb_done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $jmax)))
                (local.set $pa0 (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $row)) (i32.shl (local.get $kc) (i32.const 3)))))
                (local.set $pa1 (i32.add (local.get $pa0) (local.get $row)))
                (local.set $pa2 (i32.add (local.get $pa1) (local.get $row)))
                (local.set $pa3 (i32.add (local.get $pa2) (local.get $row)))
                (local.set $pb0 (i32.add (local.get $b) (i32.add (i32.mul (local.get $j) (local.get $row)) (i32.shl (local.get $kc) (i32.const 3)))))
                (local.set $pb1 (i32.add (local.get $pb0) (local.get $row)))
                (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
                (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
                (local.set $s20 (v128.const i64x2 0 0)) (local.set $s21 (v128.const i64x2 0 0))
                (local.set $s30 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0))
                (local.set $k (local.get $kc))
                (block $kdone
                  (loop $kl
                    (br_if $kdone (i32.ge_s (local.get $k) (local.get $kend2)))
                    (local.set $x0 (v128.load (local.get $pb0)))
                    (local.set $x1 (v128.load (local.get $pb1)))
                    (local.set $y (v128.load (local.get $pa0)))
                    (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load (local.get $pa1)))
                    (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load (local.get $pa2)))
                    (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load (local.get $pa3)))
                    (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $pa0 (i32.add (local.get $pa0) (i32.const 16)))
                    (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
                    (local.set $pa2 (i32.add (local.get $pa2) (i32.const 16)))
                    (local.set $pa3 (i32.add (local.get $pa3) (i32.const 16)))
                    (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
                    (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
                    (local.set $k (i32.add (local.get $k) (i32.const 2)))
                    (br $kl)))
                (if (i32.lt_s (local.get $k) (local.get $kend))
                  (then
                    ;; odd chunk length: one last column, in lane 0 only
                    (local.set $x0 (v128.load64_zero (local.get $pb0)))
                    (local.set $x1 (v128.load64_zero (local.get $pb1)))
                    (local.set $y (v128.load64_zero (local.get $pa0)))
                    (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load64_zero (local.get $pa1)))
                    (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load64_zero (local.get $pa2)))
                    (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $y) (local.get $x1))))
                    (local.set $y (v128.load64_zero (local.get $pa3)))
                    (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $y) (local.get $x0))))
                    (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $y) (local.get $x1))))))
                (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $nb)) (local.get $j)) (i32.const 3))))
                (f64.store (local.get $po) (f64.add (f64.load (local.get $po)) (call $hsum (local.get $s00))))
                (f64.store offset=8 (local.get $po) (f64.add (f64.load offset=8 (local.get $po)) (call $hsum (local.get $s01))))
                (local.set $po (i32.add (local.get $po) (i32.shl (local.get $nb) (i32.const 3))))
                (f64.store (local.get $po) (f64.add (f64.load (local.get $po)) (call $hsum (local.get $s10))))
                (f64.store offset=8 (local.get $po) (f64.add (f64.load offset=8 (local.get $po)) (call $hsum (local.get $s11))))
                (local.set $po (i32.add (local.get $po) (i32.shl (local.get $nb) (i32.const 3))))
                (f64.store (local.get $po) (f64.add (f64.load (local.get $po)) (call $hsum (local.get $s20))))
                (f64.store offset=8 (local.get $po) (f64.add (f64.load offset=8 (local.get $po)) (call $hsum (local.get $s21))))
                (local.set $po (i32.add (local.get $po) (i32.shl (local.get $nb) (i32.const 3))))
                (f64.store (local.get $po) (f64.add (f64.load (local.get $po)) (call $hsum (local.get $s30))))
                (f64.store offset=8 (local.get $po) (f64.add (f64.load offset=8 (local.get $po)) (call $hsum (local.get $s31))))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))
                (br $jb)))
            ;; a last single column j (odd jmax): the 4 rows against it one by one
            (if (i32.lt_s (local.get $j) (local.get $jmax))
              (then
                (call $dots_into (local.get $a) (local.get $i) (i32.add (local.get $i) (i32.const 4)) (local.get $b) (local.get $j)
                  (local.get $nb) (local.get $d) (local.get $kc) (local.get $kend) (local.get $out))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $ib)))
        ;; remaining rows of A (na mod 4), each against every needed row of B
        (block $ir_done
          (loop $ir
            (br_if $ir_done (i32.ge_s (local.get $i) (local.get $na)))
            (local.set $jmax (if (result i32) (local.get $sym) (then (i32.add (local.get $i) (i32.const 1))) (else (local.get $nb))))
            (local.set $j (i32.const 0))
            (block $jr_done
              (loop $jr
                (br_if $jr_done (i32.ge_s (local.get $j) (local.get $jmax)))
                (call $dots_into (local.get $a) (local.get $i) (i32.add (local.get $i) (i32.const 1)) (local.get $b) (local.get $j)
                  (local.get $nb) (local.get $d) (local.get $kc) (local.get $kend) (local.get $out))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jr)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $ir)))
        (local.set $kc (local.get $kend))
        (br $chunks))))

  ;; out[i][j] += Σ_{k ∈ [kc, kend)} A[i][k]·B[j][k] for rows i ∈ [i0, i1) of A and one row j of B (edge tiles of abt).
  (func $dots_into (param $a i32) (param $i0 i32) (param $i1 i32) (param $b i32) (param $j i32) (param $nb i32) (param $d i32)
        (param $kc i32) (param $kend i32) (param $out i32)
    (local $i i32) (local $k i32) (local $pa i32) (local $pb i32) (local $s v128) (local $t f64) (local $po i32)
    (local.set $i (local.get $i0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $i1)))
        (local.set $pa (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $d)) (local.get $kc)) (i32.const 3))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $d)) (local.get $kc)) (i32.const 3))))
        (local.set $s (v128.const i64x2 0 0))
        (local.set $k (local.get $kc))
        (block $kdone
          (loop $kl
            (br_if $kdone (i32.gt_s (i32.add (local.get $k) (i32.const 2)) (local.get $kend)))
            (local.set $s (f64x2.add (local.get $s) (f64x2.mul (v128.load (local.get $pa)) (v128.load (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $kl)))
        (local.set $t (call $hsum (local.get $s)))
        (if (i32.lt_s (local.get $k) (local.get $kend))
          (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))))
        (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $nb)) (local.get $j)) (i32.const 3))))
        (f64.store (local.get $po) (f64.add (f64.load (local.get $po)) (local.get $t)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Column statistics and standardisation, vectorised ACROSS columns: each column is still accumulated over the
  ;; rows in row order with the same float64 operations as the scalar code (no reassociation), so these results
  ;; are bit-identical to standard-scaler.ts / pca.ts's loops.

  ;; sum[j] = Σᵢ x[i][j] (x float32 n×d).
  (func (export "col_sum_f32") (param $x i32) (param $n i32) (param $d i32) (param $sum i32)
    (local $i i32) (local $j i32) (local $d2 i32) (local $px i32) (local $ps i32)
    (memory.fill (local.get $sum) (i32.const 0) (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (local.set $px (local.get $x))
    (local.set $i (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $ps (local.get $sum))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_s (local.get $j) (local.get $d2)))
            (v128.store (local.get $ps) (f64x2.add (v128.load (local.get $ps)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px)))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $v)))
        (if (i32.lt_s (local.get $j) (local.get $d))
          (then
            (f64.store (local.get $ps) (f64.add (f64.load (local.get $ps)) (f64.promote_f32 (f32.load (local.get $px)))))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; t = x[i][j] − mean[j];  corr[j] += t;  sq[j] += t·t  (x float32 n×d; corr and sq zeroed here).
  (func (export "col_centred_sq_f32") (param $x i32) (param $n i32) (param $d i32) (param $mean i32) (param $sq i32) (param $corr i32)
    (local $i i32) (local $j i32) (local $d2 i32) (local $px i32) (local $off i32) (local $t v128) (local $u f64)
    (memory.fill (local.get $sq) (i32.const 0) (i32.shl (local.get $d) (i32.const 3)))
    (memory.fill (local.get $corr) (i32.const 0) (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (local.set $px (local.get $x))
    (local.set $i (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $off (i32.const 0))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_s (local.get $j) (local.get $d2)))
            (local.set $t (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px))) (v128.load (i32.add (local.get $mean) (local.get $off)))))
            (v128.store (i32.add (local.get $corr) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $corr) (local.get $off))) (local.get $t)))
            (v128.store (i32.add (local.get $sq) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sq) (local.get $off))) (f64x2.mul (local.get $t) (local.get $t))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $v)))
        (if (i32.lt_s (local.get $j) (local.get $d))
          (then
            (local.set $u (f64.sub (f64.promote_f32 (f32.load (local.get $px))) (f64.load (i32.add (local.get $mean) (local.get $off)))))
            (f64.store (i32.add (local.get $corr) (local.get $off)) (f64.add (f64.load (i32.add (local.get $corr) (local.get $off))) (local.get $u)))
            (f64.store (i32.add (local.get $sq) (local.get $off)) (f64.add (f64.load (i32.add (local.get $sq) (local.get $off))) (f64.mul (local.get $u) (local.get $u))))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; x[i][j] ← float32((x[i][j] − mean[j]) / scale[j]), in place (the float64 quotient rounded to nearest float32,
  ;; as scaleRows followed by a float32 copy).
  (func (export "standardise_f32") (param $x i32) (param $n i32) (param $d i32) (param $mean i32) (param $scale i32)
    (local $i i32) (local $j i32) (local $d2 i32) (local $px i32) (local $off i32)
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (local.set $px (local.get $x))
    (local.set $i (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $off (i32.const 0))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_s (local.get $j) (local.get $d2)))
            (v128.store64_lane 0 (local.get $px)
              (f32x4.demote_f64x2_zero
                (f64x2.div
                  (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px))) (v128.load (i32.add (local.get $mean) (local.get $off))))
                  (v128.load (i32.add (local.get $scale) (local.get $off))))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $v)))
        (if (i32.lt_s (local.get $j) (local.get $d))
          (then
            (f32.store (local.get $px)
              (f32.demote_f64
                (f64.div
                  (f64.sub (f64.promote_f32 (f32.load (local.get $px))) (f64.load (i32.add (local.get $mean) (local.get $off))))
                  (f64.load (i32.add (local.get $scale) (local.get $off))))))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; mean[j] = (Σᵢ x[i][j]) / n, then x[i][j] −= mean[j] in place (x float64 n×d): PCA's centring.
  (func (export "centre_f64") (param $x i32) (param $n i32) (param $d i32) (param $mean i32)
    (local $i i32) (local $j i32) (local $d2 i32) (local $px i32) (local $pm i32) (local $nn v128)
    (memory.fill (local.get $mean) (i32.const 0) (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (local.set $px (local.get $x))
    (local.set $i (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $pm (local.get $mean))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_s (local.get $j) (local.get $d2)))
            (v128.store (local.get $pm) (f64x2.add (v128.load (local.get $pm)) (v128.load (local.get $px))))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $v)))
        (if (i32.lt_s (local.get $j) (local.get $d))
          (then
            (f64.store (local.get $pm) (f64.add (f64.load (local.get $pm)) (f64.load (local.get $px))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.set $nn (f64x2.splat (f64.convert_i32_s (local.get $n))))
    (local.set $pm (local.get $mean))
    (local.set $j (i32.const 0))
    (block $mdone
      (loop $m
        (br_if $mdone (i32.ge_s (local.get $j) (local.get $d2)))
        (v128.store (local.get $pm) (f64x2.div (v128.load (local.get $pm)) (local.get $nn)))
        (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $m)))
    (if (i32.lt_s (local.get $j) (local.get $d))
      (then (f64.store (local.get $pm) (f64.div (f64.load (local.get $pm)) (f64.convert_i32_s (local.get $n))))))
    (local.set $px (local.get $x))
    (local.set $i (i32.const 0))
    (block $cdone
      (loop $crows
        (br_if $cdone (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $pm (local.get $mean))
        (local.set $j (i32.const 0))
        (block $cvdone
          (loop $cv
            (br_if $cvdone (i32.ge_s (local.get $j) (local.get $d2)))
            (v128.store (local.get $px) (f64x2.sub (v128.load (local.get $px)) (v128.load (local.get $pm))))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $cv)))
        (if (i32.lt_s (local.get $j) (local.get $d))
          (then
            (f64.store (local.get $px) (f64.sub (f64.load (local.get $px)) (f64.load (local.get $pm))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $crows))))

  ;; Level-1 vector operations on float64 vectors of length $len (L-BFGS's two-loop recursion and line search).

  ;; Σ a[k]·b[k] (two lanes, two accumulators each).
  (func (export "dot") (param $a i32) (param $b i32) (param $len i32) (result f64)
    (local $k i32) (local $l4 i32) (local $s0 v128) (local $s1 v128) (local $t f64)
    (local.set $l4 (i32.and (local.get $len) (i32.const -4)))
    (local.set $s0 (v128.const i64x2 0 0))
    (local.set $s1 (v128.const i64x2 0 0))
    (local.set $k (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $k) (local.get $l4)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $l)))
    (local.set $t (call $hsum (f64x2.add (local.get $s0) (local.get $s1))))
    (block $tdone
      (loop $tl
        (br_if $tdone (i32.ge_s (local.get $k) (local.get $len)))
        (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tl)))
    (local.get $t))

  ;; y[k] += alpha·x[k].
  (func (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $len i32)
    (local $k i32) (local $l2 i32) (local $av v128)
    (local.set $l2 (i32.and (local.get $len) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $k) (local.get $l2)))
        (v128.store (local.get $y) (f64x2.add (v128.load (local.get $y)) (f64x2.mul (local.get $av) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $l)))
    (if (i32.lt_s (local.get $k) (local.get $len))
      (then (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $alpha) (f64.load (local.get $x))))))))

  ;; y[k] = alpha·y[k].
  (func (export "scal") (param $alpha f64) (param $y i32) (param $len i32)
    (local $k i32) (local $l2 i32) (local $av v128)
    (local.set $l2 (i32.and (local.get $len) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $k) (local.get $l2)))
        (v128.store (local.get $y) (f64x2.mul (local.get $av) (v128.load (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $l)))
    (if (i32.lt_s (local.get $k) (local.get $len))
      (then (f64.store (local.get $y) (f64.mul (local.get $alpha) (f64.load (local.get $y)))))))

  ;; The agent scorer on n raw float64 rows (n × d at $x): proj[i] = Σₖ x[i][k]·w[k] summed exactly as matrix.ts's
  ;; dot() does (four partial sums over k mod 4, then ((s0 + s1) + s2) + s3, the d mod 4 tail added to s0), and
  ;; z[i][k] = (x[i][k] − mean[k]) / scale[k] (as standard-scaler.ts's scaleVector): the same operations on the same
  ;; values as the JS, two lanes at a time.
  (func (export "project_standardise") (param $x i32) (param $n i32) (param $d i32) (param $w i32) (param $mean i32)
        (param $scale i32) (param $z i32) (param $proj i32)
    (local $i i32) (local $k i32) (local $d4 i32) (local $d2 i32) (local $px i32) (local $pw i32) (local $pz i32)
    (local $pm i32) (local $ps i32) (local $a01 v128) (local $a23 v128) (local $s0 f64)
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (local.set $px (local.get $x))
    (local.set $pz (local.get $z))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        ;; projection
        (local.set $a01 (v128.const i64x2 0 0))
        (local.set $a23 (v128.const i64x2 0 0))
        (local.set $pw (local.get $w))
        (local.set $k (i32.const 0))
        (block $pdone
          (loop $p
            (br_if $pdone (i32.ge_s (local.get $k) (local.get $d4)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (v128.load (i32.add (local.get $px) (i32.shl (local.get $k) (i32.const 3)))) (v128.load (local.get $pw)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (v128.load offset=16 (i32.add (local.get $px) (i32.shl (local.get $k) (i32.const 3)))) (v128.load offset=16 (local.get $pw)))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $p)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $a01)))
        (block $ptdone
          (loop $pt
            (br_if $ptdone (i32.ge_s (local.get $k) (local.get $d)))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (i32.add (local.get $px) (i32.shl (local.get $k) (i32.const 3)))) (f64.load (local.get $pw)))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $pt)))
        (f64.store (i32.add (local.get $proj) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23)))
            (f64x2.extract_lane 1 (local.get $a23))))
        ;; standardisation
        (local.set $pm (local.get $mean))
        (local.set $ps (local.get $scale))
        (local.set $k (i32.const 0))
        (block $zdone
          (loop $zl
            (br_if $zdone (i32.ge_s (local.get $k) (local.get $d2)))
            (v128.store (local.get $pz) (f64x2.div (f64x2.sub (v128.load (local.get $px)) (v128.load (local.get $pm))) (v128.load (local.get $ps))))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (local.set $pz (i32.add (local.get $pz) (i32.const 16)))
            (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $zl)))
        (if (i32.lt_s (local.get $k) (local.get $d))
          (then
            (f64.store (local.get $pz) (f64.div (f64.sub (f64.load (local.get $px)) (f64.load (local.get $pm))) (f64.load (local.get $ps))))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $pz (i32.add (local.get $pz) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
