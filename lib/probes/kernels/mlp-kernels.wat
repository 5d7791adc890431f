;; WebAssembly SIMD (f64x2) kernels for one minibatch step of the MLP variant (lib/probes/mlp.ts; JS side in
;; mlp-kernels.ts). Assembled with probe-kernels.wat by `npm run build:probe-kernels` into mlp-kernels-wasm.ts.
;;
;; A separate module from probe-kernels.wat (own memory, own instance per thread), so MLP training never competes
;; with the main pipeline's scratch layout. All arrays are float64, row-major, 16-byte aligned byte offsets; the
;; hidden width $h is padded by the caller to a multiple of 8 with zero units (exactly inert: a unit with zero weights,
;; bias and output weight has zero activation and zero gradient, so Adam never moves it). Products and sums are the
;; ones sklearn's _backprop computes; only their summation order differs (several accumulators).
(module
  (memory (export "memory") 1)

  ;; Σ of a f64x2's two lanes.
  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; Forward pass of one minibatch of $b rows:
  ;;   xb[s] = x[idx[s]]                      (gather the batch's rows; idx is i32)
  ;;   hid[s] = relu(xb[s]·W1 + b1)           (W1: d × h)
  ;;   z[s]  = hid[s]·w2 + b2                 (the output unit's pre-activation; JS applies the logistic)
  ;; Rows go two at a time and columns eight at a time (8 accumulators), so every W1 load serves two rows; an odd
  ;; last row is computed as a pair with itself (both stores write the same values).
  (func (export "mlp_forward") (param $x i32) (param $idx i32) (param $b i32) (param $d i32) (param $h i32)
        (param $w1 i32) (param $b1 i32) (param $w2 i32) (param $b2 i32) (param $xb i32) (param $hid i32) (param $z i32)
    (local $s i32) (local $k i32) (local $jb i32) (local $rowb i32) (local $hrow i32)
    (local $p0 i32) (local $p1 i32) (local $q0 i32) (local $q1 i32) (local $pw i32) (local $pe i32)
    (local $xa v128) (local $xc v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $zero v128) (local $u0 v128) (local $u1 v128)
    (local.set $rowb (i32.shl (local.get $d) (i32.const 3)))
    (local.set $hrow (i32.shl (local.get $h) (i32.const 3)))
    (local.set $zero (v128.const i64x2 0 0))
    ;; ---- gather ----
    (local.set $s (i32.const 0))
    (block $gdone
      (loop $g
        (br_if $gdone (i32.ge_s (local.get $s) (local.get $b)))
        (memory.copy
          (i32.add (local.get $xb) (i32.mul (local.get $s) (local.get $rowb)))
          (i32.add (local.get $x) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $s) (i32.const 2)))) (local.get $rowb)))
          (local.get $rowb))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $g)))
    ;; ---- hidden layer, rows in pairs ----
    (local.set $s (i32.const 0))
    (block $rdone
      (loop $rows
        (br_if $rdone (i32.ge_s (local.get $s) (local.get $b)))
        (local.set $p0 (i32.add (local.get $xb) (i32.mul (local.get $s) (local.get $rowb))))
        (local.set $q0 (i32.add (local.get $hid) (i32.mul (local.get $s) (local.get $hrow))))
        (local.set $p1 (local.get $p0))
        (local.set $q1 (local.get $q0))
        (if (i32.lt_s (i32.add (local.get $s) (i32.const 1)) (local.get $b))
          (then
            (local.set $p1 (i32.add (local.get $p0) (local.get $rowb)))
            (local.set $q1 (i32.add (local.get $q0) (local.get $hrow)))))
        (local.set $jb (i32.const 0))
        (block $jdone
          (loop $cols
            (br_if $jdone (i32.ge_s (local.get $jb) (local.get $hrow)))
            (local.set $a0 (local.get $zero)) (local.set $a1 (local.get $zero))
            (local.set $a2 (local.get $zero)) (local.set $a3 (local.get $zero))
            (local.set $c0 (local.get $zero)) (local.set $c1 (local.get $zero))
            (local.set $c2 (local.get $zero)) (local.set $c3 (local.get $zero))
            (local.set $pw (i32.add (local.get $w1) (local.get $jb)))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $ks
                (br_if $kdone (i32.ge_s (local.get $k) (local.get $rowb)))
                (local.set $xa (v128.load64_splat (i32.add (local.get $p0) (local.get $k))))
                (local.set $xc (v128.load64_splat (i32.add (local.get $p1) (local.get $k))))
                (local.set $t0 (v128.load (local.get $pw)))
                (local.set $t1 (v128.load offset=16 (local.get $pw)))
                (local.set $t2 (v128.load offset=32 (local.get $pw)))
                (local.set $t3 (v128.load offset=48 (local.get $pw)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xa) (local.get $t0))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xa) (local.get $t1))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xa) (local.get $t2))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xa) (local.get $t3))))
                (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $xc) (local.get $t0))))
                (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $xc) (local.get $t1))))
                (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $xc) (local.get $t2))))
                (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $xc) (local.get $t3))))
                (local.set $pw (i32.add (local.get $pw) (local.get $hrow)))
                (local.set $k (i32.add (local.get $k) (i32.const 8)))
                (br $ks)))
            ;; + b1, relu (sklearn adds the intercept after the product, then np.maximum(·, 0)).
            (local.set $pe (i32.add (local.get $b1) (local.get $jb)))
            (local.set $t0 (v128.load (local.get $pe)))
            (local.set $t1 (v128.load offset=16 (local.get $pe)))
            (local.set $t2 (v128.load offset=32 (local.get $pe)))
            (local.set $t3 (v128.load offset=48 (local.get $pe)))
            (local.set $pe (i32.add (local.get $q0) (local.get $jb)))
            (v128.store (local.get $pe) (f64x2.max (f64x2.add (local.get $a0) (local.get $t0)) (local.get $zero)))
            (v128.store offset=16 (local.get $pe) (f64x2.max (f64x2.add (local.get $a1) (local.get $t1)) (local.get $zero)))
            (v128.store offset=32 (local.get $pe) (f64x2.max (f64x2.add (local.get $a2) (local.get $t2)) (local.get $zero)))
            (v128.store offset=48 (local.get $pe) (f64x2.max (f64x2.add (local.get $a3) (local.get $t3)) (local.get $zero)))
            (local.set $pe (i32.add (local.get $q1) (local.get $jb)))
            (v128.store (local.get $pe) (f64x2.max (f64x2.add (local.get $c0) (local.get $t0)) (local.get $zero)))
            (v128.store offset=16 (local.get $pe) (f64x2.max (f64x2.add (local.get $c1) (local.get $t1)) (local.get $zero)))
            (v128.store offset=32 (local.get $pe) (f64x2.max (f64x2.add (local.get $c2) (local.get $t2)) (local.get $zero)))
            (v128.store offset=48 (local.get $pe) (f64x2.max (f64x2.add (local.get $c3) (local.get $t3)) (local.get $zero)))
            (local.set $jb (i32.add (local.get $jb) (i32.const 64)))
            (br $cols)))
        (local.set $s (i32.add (local.get $s) (i32.const 2)))
        (br $rows)))
    ;; ---- output unit: z[s] = hid[s]·w2 + b2 ----
    (local.set $s (i32.const 0))
    (block $odone
      (loop $out
        (br_if $odone (i32.ge_s (local.get $s) (local.get $b)))
        (local.set $q0 (i32.add (local.get $hid) (i32.mul (local.get $s) (local.get $hrow))))
        (local.set $u0 (local.get $zero))
        (local.set $u1 (local.get $zero))
        (local.set $jb (i32.const 0))
        (block $ddone
          (loop $dot
            (br_if $ddone (i32.ge_s (local.get $jb) (local.get $hrow)))
            (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (v128.load (i32.add (local.get $q0) (local.get $jb))) (v128.load (i32.add (local.get $w2) (local.get $jb))))))
            (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (v128.load offset=16 (i32.add (local.get $q0) (local.get $jb))) (v128.load offset=16 (i32.add (local.get $w2) (local.get $jb))))))
            (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
            (br $dot)))
        (f64.store (i32.add (local.get $z) (i32.shl (local.get $s) (i32.const 3)))
          (f64.add (call $hsum (f64x2.add (local.get $u0) (local.get $u1))) (f64.load (local.get $b2))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $out))))

  ;; Backward pass of the minibatch mlp_forward left in xb/hid, with the output deltas d2[s] = p[s] − y[s]:
  ;;   gw2 = (hidᵀ·d2 + α·w2)/b, gb2 = mean(d2)
  ;;   delta1[s] = (d2[s]·w2) where hid[s] > 0, else 0   (written over hid)
  ;;   gb1 = mean(delta1), gW1 = (xbᵀ·delta1 + α·W1)/b
  ;; exactly sklearn's _backprop / _compute_loss_grad for one hidden layer. gW1 goes two inputs × eight hidden units
  ;; at a time (8 accumulators over the batch); an odd last input is paired with itself.
  (func (export "mlp_backward") (param $b i32) (param $d i32) (param $h i32) (param $alpha f64)
        (param $w1 i32) (param $w2 i32) (param $xb i32) (param $hid i32) (param $d2 i32)
        (param $gw1 i32) (param $gw2 i32) (param $gb1 i32) (param $gb2 i32)
    (local $s i32) (local $k i32) (local $k1 i32) (local $jb i32) (local $rowb i32) (local $hrow i32)
    (local $q i32) (local $p i32) (local $pe i32) (local $g0 i32) (local $g1 i32) (local $sum2 f64)
    (local $dd v128) (local $hv v128) (local $del v128) (local $av v128) (local $bv v128) (local $zero v128)
    (local $xa v128) (local $xc v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowb (i32.shl (local.get $d) (i32.const 3)))
    (local.set $hrow (i32.shl (local.get $h) (i32.const 3)))
    (local.set $zero (v128.const i64x2 0 0))
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $bv (f64x2.splat (f64.convert_i32_s (local.get $b))))
    (memory.fill (local.get $gw2) (i32.const 0) (local.get $hrow))
    (memory.fill (local.get $gb1) (i32.const 0) (local.get $hrow))
    ;; ---- output layer gradients and hidden deltas, row by row ----
    (local.set $sum2 (f64.const 0))
    (local.set $s (i32.const 0))
    (block $rdone
      (loop $rows
        (br_if $rdone (i32.ge_s (local.get $s) (local.get $b)))
        (local.set $sum2 (f64.add (local.get $sum2) (f64.load (i32.add (local.get $d2) (i32.shl (local.get $s) (i32.const 3))))))
        (local.set $dd (v128.load64_splat (i32.add (local.get $d2) (i32.shl (local.get $s) (i32.const 3)))))
        (local.set $q (i32.add (local.get $hid) (i32.mul (local.get $s) (local.get $hrow))))
        (local.set $jb (i32.const 0))
        (block $jdone
          (loop $cols
            (br_if $jdone (i32.ge_s (local.get $jb) (local.get $hrow)))
            (local.set $p (i32.add (local.get $q) (local.get $jb)))
            (local.set $hv (v128.load (local.get $p)))
            (local.set $pe (i32.add (local.get $gw2) (local.get $jb)))
            (v128.store (local.get $pe) (f64x2.add (v128.load (local.get $pe)) (f64x2.mul (local.get $hv) (local.get $dd))))
            (local.set $del (v128.and (f64x2.gt (local.get $hv) (local.get $zero))
                                      (f64x2.mul (local.get $dd) (v128.load (i32.add (local.get $w2) (local.get $jb))))))
            (v128.store (local.get $p) (local.get $del))
            (local.set $pe (i32.add (local.get $gb1) (local.get $jb)))
            (v128.store (local.get $pe) (f64x2.add (v128.load (local.get $pe)) (local.get $del)))
            (local.set $jb (i32.add (local.get $jb) (i32.const 16)))
            (br $cols)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $gb2) (f64.div (local.get $sum2) (f64.convert_i32_s (local.get $b))))
    (local.set $jb (i32.const 0))
    (block $fdone
      (loop $fin
        (br_if $fdone (i32.ge_s (local.get $jb) (local.get $hrow)))
        (local.set $pe (i32.add (local.get $gw2) (local.get $jb)))
        (v128.store (local.get $pe) (f64x2.div (f64x2.add (v128.load (local.get $pe))
                                                         (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $w2) (local.get $jb)))))
                                               (local.get $bv)))
        (local.set $pe (i32.add (local.get $gb1) (local.get $jb)))
        (v128.store (local.get $pe) (f64x2.div (v128.load (local.get $pe)) (local.get $bv)))
        (local.set $jb (i32.add (local.get $jb) (i32.const 16)))
        (br $fin)))
    ;; ---- gW1, inputs in pairs ----
    (local.set $k (i32.const 0))
    (block $idone
      (loop $inputs
        (br_if $idone (i32.ge_s (local.get $k) (local.get $rowb)))
        (local.set $k1 (local.get $k))
        (if (i32.lt_s (i32.add (local.get $k) (i32.const 8)) (local.get $rowb))
          (then (local.set $k1 (i32.add (local.get $k) (i32.const 8)))))
        ;; byte offsets of W1 rows k and k1 (k, k1 are byte offsets into an input row: index·8)
        (local.set $g0 (i32.mul (i32.shr_u (local.get $k) (i32.const 3)) (local.get $hrow)))
        (local.set $g1 (i32.mul (i32.shr_u (local.get $k1) (i32.const 3)) (local.get $hrow)))
        (local.set $jb (i32.const 0))
        (block $jdone2
          (loop $cols2
            (br_if $jdone2 (i32.ge_s (local.get $jb) (local.get $hrow)))
            (local.set $a0 (local.get $zero)) (local.set $a1 (local.get $zero))
            (local.set $a2 (local.get $zero)) (local.set $a3 (local.get $zero))
            (local.set $c0 (local.get $zero)) (local.set $c1 (local.get $zero))
            (local.set $c2 (local.get $zero)) (local.set $c3 (local.get $zero))
            (local.set $p (local.get $xb))
            (local.set $q (i32.add (local.get $hid) (local.get $jb)))
            (local.set $s (i32.const 0))
            (block $sdone
              (loop $ss
                (br_if $sdone (i32.ge_s (local.get $s) (local.get $b)))
                (local.set $xa (v128.load64_splat (i32.add (local.get $p) (local.get $k))))
                (local.set $xc (v128.load64_splat (i32.add (local.get $p) (local.get $k1))))
                (local.set $t0 (v128.load (local.get $q)))
                (local.set $t1 (v128.load offset=16 (local.get $q)))
                (local.set $t2 (v128.load offset=32 (local.get $q)))
                (local.set $t3 (v128.load offset=48 (local.get $q)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xa) (local.get $t0))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xa) (local.get $t1))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xa) (local.get $t2))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xa) (local.get $t3))))
                (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $xc) (local.get $t0))))
                (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $xc) (local.get $t1))))
                (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $xc) (local.get $t2))))
                (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $xc) (local.get $t3))))
                (local.set $p (i32.add (local.get $p) (local.get $rowb)))
                (local.set $q (i32.add (local.get $q) (local.get $hrow)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $ss)))
            ;; (Σ + α·W1) / b, as sklearn: coef_grads = dot; += alpha·coef; /= n_samples.
            (local.set $pe (i32.add (i32.add (local.get $w1) (local.get $g0)) (local.get $jb)))
            (local.set $p (i32.add (i32.add (local.get $gw1) (local.get $g0)) (local.get $jb)))
            (v128.store (local.get $p) (f64x2.div (f64x2.add (local.get $a0) (f64x2.mul (local.get $av) (v128.load (local.get $pe)))) (local.get $bv)))
            (v128.store offset=16 (local.get $p) (f64x2.div (f64x2.add (local.get $a1) (f64x2.mul (local.get $av) (v128.load offset=16 (local.get $pe)))) (local.get $bv)))
            (v128.store offset=32 (local.get $p) (f64x2.div (f64x2.add (local.get $a2) (f64x2.mul (local.get $av) (v128.load offset=32 (local.get $pe)))) (local.get $bv)))
            (v128.store offset=48 (local.get $p) (f64x2.div (f64x2.add (local.get $a3) (f64x2.mul (local.get $av) (v128.load offset=48 (local.get $pe)))) (local.get $bv)))
            (local.set $pe (i32.add (i32.add (local.get $w1) (local.get $g1)) (local.get $jb)))
            (local.set $p (i32.add (i32.add (local.get $gw1) (local.get $g1)) (local.get $jb)))
            (v128.store (local.get $p) (f64x2.div (f64x2.add (local.get $c0) (f64x2.mul (local.get $av) (v128.load (local.get $pe)))) (local.get $bv)))
            (v128.store offset=16 (local.get $p) (f64x2.div (f64x2.add (local.get $c1) (f64x2.mul (local.get $av) (v128.load offset=16 (local.get $pe)))) (local.get $bv)))
            (v128.store offset=32 (local.get $p) (f64x2.div (f64x2.add (local.get $c2) (f64x2.mul (local.get $av) (v128.load offset=32 (local.get $pe)))) (local.get $bv)))
            (v128.store offset=48 (local.get $p) (f64x2.div (f64x2.add (local.get $c3) (f64x2.mul (local.get $av) (v128.load offset=48 (local.get $pe)))) (local.get $bv)))
            (local.set $jb (i32.add (local.get $jb) (i32.const 64)))
            (br $cols2)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $inputs))))

  ;; One Adam step over $len parameters ($len even; params, grads and both moments share one layout), as
  ;; sklearn's AdamOptimizer: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w += −lr·m / (√v + ε).
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $len i32)
        (param $lr f64) (param $beta1 f64) (param $beta2 f64) (param $eps f64)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $lrv v128) (local $ev v128)
    (local.set $b1 (f64x2.splat (local.get $beta1)))
    (local.set $c1 (f64x2.splat (f64.sub (f64.const 1) (local.get $beta1))))
    (local.set $b2 (f64x2.splat (local.get $beta2)))
    (local.set $c2 (f64x2.splat (f64.sub (f64.const 1) (local.get $beta2))))
    (local.set $lrv (f64x2.splat (local.get $lr)))
    (local.set $ev (f64x2.splat (local.get $eps)))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv (f64x2.add (f64x2.mul (local.get $b1) (v128.load (local.get $m))) (f64x2.mul (local.get $c1) (local.get $gv))))
        (local.set $vv (f64x2.add (f64x2.mul (local.get $b2) (v128.load (local.get $v)))
                                  (f64x2.mul (local.get $c2) (f64x2.mul (local.get $gv) (local.get $gv)))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $w) (f64x2.sub (v128.load (local.get $w))
                                              (f64x2.div (f64x2.mul (local.get $lrv) (local.get $mv))
                                                         (f64x2.add (f64x2.sqrt (local.get $vv)) (local.get $ev)))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $l))))

  ;; Σ a[k]² over $len values ($len even): the L2 term of the loss.
  (func (export "sum_squares") (param $a i32) (param $len i32) (result f64)
    (local $end i32) (local $s0 v128) (local $t v128)
    (local.set $s0 (v128.const i64x2 0 0))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $t (v128.load (local.get $a)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $l)))
    (call $hsum (local.get $s0)))
)
