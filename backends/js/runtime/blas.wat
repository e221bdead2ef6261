;; blas.wat — the f64 GEMM/SYRK compute core of the JS backend runtime, in WebAssembly SIMD (f64x2), and the
;; Cholesky diagonal-block/panel kernel ($potf) that support/linalg.js runs on the calling thread.
;;
;; Assembled by build-blas.ts into blas-wasm.js (base64). One instance per thread, all over the same imported
;; shared memory (the process-wide arena), so every pointer here is a byte offset into that arena.
;;
;; Data layout. Operands are first packed (by $pack) into "panels" of 4 rows: panel p holds, for each k, the
;; 4 values of rows 4p..4p+3 contiguously (32 bytes per k); rows past the end are zero. The 4x4 micro-kernel
;; then streams one panel of op(A) and one of op(B) and keeps a 4x4 tile of C in 8 f64x2 registers.
;; 4x4 is the largest tile V8's register allocator keeps in the 15 usable xmm registers without spilling
;; (V8 hoists the loads of a loop body, so bigger tiles or unrolling spill and run slower; measured).
;;
;; Determinism. Each C element is updated per k-block as
;;     acc = 0; for k in block: acc = acc + a_k*b_k          (no FMA: mul then add, same in every lane)
;;     first block:  C = beta*C + alpha*acc   (C = alpha*acc when beta == 0, so NaN garbage in C is ignored)
;;     later blocks: C = C + alpha*acc
;; Edge tiles (zero-padded panels) use scalar code with exactly the same operations, and a mirrored (SYRK) tile
;; is a transpose of the same accumulators, so the value of an element depends only on the k-block size chosen
;; by the caller, never on the tiling or the thread split.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; 4x4 micro-kernel: acc = Σ_k ap[k][0..4] ⊗ bp[k][0..4] over kc steps, then the C update.
  ;; c: tile origin in C; ldc: row stride of C in bytes; rows/cols: valid part of the tile (<= 4).
  ;; mode & 1: first k-block (apply beta); mode & 2: also write the transposed tile at $mir (SYRK).
  ;; t: 128 bytes of scratch where edge tiles are spilled for the scalar update.
  (func $kern (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
              (param $rows i32) (param $cols i32) (param $alpha f64) (param $beta f64)
              (param $mode i32) (param $mir i32) (param $t i32)
    (local $end i32) (local $p i32) (local $full i32) (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $full (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 4))))
    ;; Touch the C rows now so that their cache misses overlap the k loop instead of stalling the update
    ;; (C is far bigger than L2). Trapping loads are never removed by the compiler, even when dropped.
    (if (local.get $full) (then
      (local.set $p (local.get $c))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (if (i32.and (local.get $mode) (i32.const 2)) (then
      (local.set $p (local.get $mir))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (drop (i64.load (local.get $p))) (drop (i64.load offset=24 (local.get $p)))))))
    (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 5))))
    (if (local.get $kc) (then
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $a (v128.load64_splat offset=0 (local.get $ap)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (i32.ne (local.get $ap) (local.get $end))))))
    ;; Full tile: update C straight from the registers (and the mirrored tile from their 4x4 transpose).
    (if (local.get $full) (then
      (call $upd4 (local.get $c) (local.get $ldc) (local.get $c00) (local.get $c01) (local.get $c10) (local.get $c11) (local.get $c20) (local.get $c21) (local.get $c30) (local.get $c31)
                  (local.get $alpha) (local.get $beta) (local.get $mode))
      (if (i32.and (local.get $mode) (i32.const 2)) (then
        (call $upd4 (local.get $mir) (local.get $ldc)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c00) (local.get $c10))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c20) (local.get $c30))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c00) (local.get $c10))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c20) (local.get $c30))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c01) (local.get $c11))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c21) (local.get $c31))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c01) (local.get $c11))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c21) (local.get $c31))
            (local.get $alpha) (local.get $beta) (local.get $mode))))
      (return)))
    ;; Edge tile: spill the accumulators and update element by element.
    (v128.store offset=0 (local.get $t) (local.get $c00))
    (v128.store offset=16 (local.get $t) (local.get $c01))
    (v128.store offset=32 (local.get $t) (local.get $c10))
    (v128.store offset=48 (local.get $t) (local.get $c11))
    (v128.store offset=64 (local.get $t) (local.get $c20))
    (v128.store offset=80 (local.get $t) (local.get $c21))
    (v128.store offset=96 (local.get $t) (local.get $c30))
    (v128.store offset=112 (local.get $t) (local.get $c31))
    (call $edge (local.get $t) (local.get $c) (local.get $ldc) (local.get $rows) (local.get $cols)
                (local.get $alpha) (local.get $beta) (local.get $mode) (local.get $mir)))

  ;; C[0..4][0..4] at p (row stride ldc bytes) from 4 rows of 2 vectors x{row}{half}.
  (func $upd4 (param $p i32) (param $ldc i32) (param $x00 v128) (param $x01 v128) (param $x10 v128) (param $x11 v128) (param $x20 v128) (param $x21 v128) (param $x30 v128) (param $x31 v128)
              (param $alpha f64) (param $beta f64) (param $mode i32)
    (local $va v128) (local $vb v128)
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $vb (f64x2.splat (local.get $beta)))
    (if (i32.eqz (i32.and (local.get $mode) (i32.const 1))) (then
    (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $va) (local.get $x00))))
    (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $va) (local.get $x01))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $va) (local.get $x10))))
    (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $va) (local.get $x11))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $va) (local.get $x20))))
    (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $va) (local.get $x21))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $va) (local.get $x30))))
    (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $va) (local.get $x31))))
      (return)))
    (if (f64.eq (local.get $beta) (f64.const 0)) (then
    (v128.store (local.get $p) (f64x2.mul (local.get $va) (local.get $x00)))
    (v128.store offset=16 (local.get $p) (f64x2.mul (local.get $va) (local.get $x01)))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.mul (local.get $va) (local.get $x10)))
    (v128.store offset=16 (local.get $p) (f64x2.mul (local.get $va) (local.get $x11)))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.mul (local.get $va) (local.get $x20)))
    (v128.store offset=16 (local.get $p) (f64x2.mul (local.get $va) (local.get $x21)))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.mul (local.get $va) (local.get $x30)))
    (v128.store offset=16 (local.get $p) (f64x2.mul (local.get $va) (local.get $x31)))
      (return)))
    (v128.store (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load (local.get $p))) (f64x2.mul (local.get $va) (local.get $x00))))
    (v128.store offset=16 (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $p))) (f64x2.mul (local.get $va) (local.get $x01))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load (local.get $p))) (f64x2.mul (local.get $va) (local.get $x10))))
    (v128.store offset=16 (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $p))) (f64x2.mul (local.get $va) (local.get $x11))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load (local.get $p))) (f64x2.mul (local.get $va) (local.get $x20))))
    (v128.store offset=16 (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $p))) (f64x2.mul (local.get $va) (local.get $x21))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load (local.get $p))) (f64x2.mul (local.get $va) (local.get $x30))))
    (v128.store offset=16 (local.get $p) (f64x2.add (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $p))) (f64x2.mul (local.get $va) (local.get $x31)))))

  ;; Scalar C update of the valid rows x cols of a spilled 4x4 tile (same arithmetic as the vector path).
  (func $edge (param $t i32) (param $c i32) (param $ldc i32) (param $rows i32) (param $cols i32)
              (param $alpha f64) (param $beta f64) (param $mode i32) (param $mir i32)
    (local $r i32) (local $j i32) (local $acc f64) (local $p i32) (local $q i32)
    (loop $rl
      (local.set $j (i32.const 0))
      (loop $cl
        (local.set $acc (f64.mul (local.get $alpha)
          (f64.load (i32.add (local.get $t) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 2)) (local.get $j)) (i32.const 3))))))
        (local.set $p (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $p) (call $combine (local.get $p) (local.get $acc) (local.get $beta) (local.get $mode)))
        (if (i32.and (local.get $mode) (i32.const 2)) (then
          (local.set $q (i32.add (i32.add (local.get $mir) (i32.mul (local.get $j) (local.get $ldc))) (i32.shl (local.get $r) (i32.const 3))))
          (f64.store (local.get $q) (call $combine (local.get $q) (local.get $acc) (local.get $beta) (local.get $mode)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $cl (i32.lt_s (local.get $j) (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rl (i32.lt_s (local.get $r) (local.get $rows)))))

  ;; New value of C[p] given alpha*acc (mode & 1: first k-block).
  (func $combine (param $p i32) (param $aacc f64) (param $beta f64) (param $mode i32) (result f64)
    (if (result f64) (i32.and (local.get $mode) (i32.const 1))
      (then (if (result f64) (f64.eq (local.get $beta) (f64.const 0))
        (then (local.get $aacc))
        (else (f64.add (f64.mul (local.get $beta) (f64.load (local.get $p))) (local.get $aacc)))))
      (else (f64.add (f64.load (local.get $p)) (local.get $aacc)))))

  ;; One k-block of C tiles: panels I in [i0,i1) of op(A) against panels J in [j0,j1) of op(B).
  ;; pa/pb: first panel, already offset to the k-block; sa/sb: panel strides in bytes.
  ;; m, n: rows/cols of C (for edge tiles). tiles: scratch, 128 bytes per panel of the axis the caller splits
  ;; across threads (I, or J when mode & 8), so that pieces running in parallel never share one.
  ;; mode & 1: first k-block. mode & 4 (SYRK): only tiles with J <= I are computed and off-diagonal
  ;; ones are mirrored, so each symmetric pair of tiles is computed once.
  ;; J is the outer loop so that one B panel stays in L1 while the A panels of the block stream from L2.
  (func $block (export "block") (param $pa i32) (param $sa i32) (param $pb i32) (param $sb i32)
               (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32) (param $kc i32)
               (param $c i32) (param $ldc i32) (param $m i32) (param $n i32)
               (param $alpha f64) (param $beta f64) (param $mode i32) (param $tiles i32)
    (local $i i32) (local $j i32) (local $sym i32) (local $md i32) (local $mir i32)
    (local.set $sym (i32.and (local.get $mode) (i32.const 4)))
    (local.set $j (local.get $j0))
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_s (local.get $j) (local.get $j1)))
      (local.set $i (local.get $i0))
      (if (i32.and (i32.ne (local.get $sym) (i32.const 0)) (i32.gt_s (local.get $j) (local.get $i0)))
        (then (local.set $i (local.get $j))))
      (block $idone (loop $il
        (br_if $idone (i32.ge_s (local.get $i) (local.get $i1)))
        (local.set $md (i32.and (local.get $mode) (i32.const 1)))
        (local.set $mir (i32.const 0))
        (if (i32.and (i32.ne (local.get $sym) (i32.const 0)) (i32.ne (local.get $i) (local.get $j)))
          (then
            (local.set $md (i32.or (local.get $md) (i32.const 2)))
            (local.set $mir (i32.add (i32.add (local.get $c) (i32.mul (i32.shl (local.get $j) (i32.const 2)) (local.get $ldc)))
                                     (i32.shl (local.get $i) (i32.const 5))))))
        (call $kern
          (i32.add (local.get $pa) (i32.mul (local.get $i) (local.get $sa)))
          (i32.add (local.get $pb) (i32.mul (local.get $j) (local.get $sb)))
          (local.get $kc)
          (i32.add (i32.add (local.get $c) (i32.mul (i32.shl (local.get $i) (i32.const 2)) (local.get $ldc)))
                   (i32.shl (local.get $j) (i32.const 5)))
          (local.get $ldc)
          (call $min4 (i32.sub (local.get $m) (i32.shl (local.get $i) (i32.const 2))))
          (call $min4 (i32.sub (local.get $n) (i32.shl (local.get $j) (i32.const 2))))
          (local.get $alpha) (local.get $beta) (local.get $md) (local.get $mir)
          (i32.add (local.get $tiles) (i32.shl (select (local.get $j) (local.get $i) (i32.and (local.get $mode) (i32.const 8)))
                                               (i32.const 7))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))

  (func $min4 (param $x i32) (result i32)
    (select (i32.const 4) (local.get $x) (i32.gt_s (local.get $x) (i32.const 4))))

  ;; Pack `rows` rows of a strided source into 4-row panels at dst (klen*32 bytes each, tail rows zero).
  ;; Element (r, k) of the source is at src + r*rs + k*ks (bytes).
  (func $pack (export "pack") (param $dst i32) (param $src i32) (param $rows i32) (param $klen i32)
              (param $rs i32) (param $ks i32)
    (local $nr i32)
    (block $done (loop $pl
      (br_if $done (i32.le_s (local.get $rows) (i32.const 0)))
      (local.set $nr (call $min4 (local.get $rows)))
      (if (i32.and (i32.eq (local.get $nr) (i32.const 4)) (i32.eq (local.get $ks) (i32.const 8)))
        (then (call $packRows (local.get $dst) (local.get $src) (local.get $klen) (local.get $rs)))
        (else (if (i32.and (i32.eq (local.get $nr) (i32.const 4)) (i32.eq (local.get $rs) (i32.const 8)))
          (then (call $packCols (local.get $dst) (local.get $src) (local.get $klen) (local.get $ks)))
          (else (call $packAny (local.get $dst) (local.get $src) (local.get $nr) (local.get $klen)
                               (local.get $rs) (local.get $ks))))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $klen) (i32.const 5))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 2))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
      (br $pl))))

  ;; 4 full rows, contiguous in k (row-major A, not transposed): transpose 2x2 blocks with shuffles.
  (func $packRows (param $dst i32) (param $s0 i32) (param $klen i32) (param $rs i32)
    (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $k i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $s1 (i32.add (local.get $s0) (local.get $rs)))
    (local.set $s2 (i32.add (local.get $s1) (local.get $rs)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $rs)))
    (block $done (loop $kl
      (br_if $done (i32.gt_s (i32.add (local.get $k) (i32.const 2)) (local.get $klen)))
      (local.set $x0 (v128.load (local.get $s0)))
      (local.set $x1 (v128.load (local.get $s1)))
      (local.set $x2 (v128.load (local.get $s2)))
      (local.set $x3 (v128.load (local.get $s3)))
      (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x0) (local.get $x1)))
      (v128.store offset=16 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x2) (local.get $x3)))
      (v128.store offset=32 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x0) (local.get $x1)))
      (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x2) (local.get $x3)))
      (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
      (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
      (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
      (local.set $s3 (i32.add (local.get $s3) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br $kl)))
    (if (i32.lt_s (local.get $k) (local.get $klen)) (then
      (f64.store (local.get $dst) (f64.load (local.get $s0)))
      (f64.store offset=8 (local.get $dst) (f64.load (local.get $s1)))
      (f64.store offset=16 (local.get $dst) (f64.load (local.get $s2)))
      (f64.store offset=24 (local.get $dst) (f64.load (local.get $s3))))))

  ;; 4 full rows that are adjacent in memory for each k (transposed source): copy 32 bytes per k.
  (func $packCols (param $dst i32) (param $src i32) (param $klen i32) (param $ks i32)
    (local $end i32)
    (if (i32.eqz (local.get $klen)) (then (return)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $klen) (i32.const 5))))
    (loop $kl
      (v128.store (local.get $dst) (v128.load (local.get $src)))
      (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
      (local.set $src (i32.add (local.get $src) (local.get $ks)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br_if $kl (i32.ne (local.get $dst) (local.get $end)))))

  ;; Any strides, nr <= 4 valid rows (the rest zero-filled).
  (func $packAny (param $dst i32) (param $src i32) (param $nr i32) (param $klen i32) (param $rs i32) (param $ks i32)
    (local $k i32) (local $r i32) (local $s i32)
    (block $done (loop $kl
      (br_if $done (i32.ge_s (local.get $k) (local.get $klen)))
      (local.set $r (i32.const 0))
      (local.set $s (local.get $src))
      (loop $rl
        (f64.store (local.get $dst)
          (if (result f64) (i32.lt_s (local.get $r) (local.get $nr))
            (then (f64.load (local.get $s))) (else (f64.const 0))))
        (local.set $s (i32.add (local.get $s) (local.get $rs)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_s (local.get $r) (i32.const 4))))
      (local.set $src (i32.add (local.get $src) (local.get $ks)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl))))

;; Cholesky rows for the JS support code (linalg.js), on the calling thread only.
  ;; Row-major lower L with row stride ld bytes at l (in place: the lower triangle holds A on entry).
  ;; Columns [k0, k0+kb) of rows [k0, m): the diagonal block rows [k0, k0+kb) are factored and the rows below
  ;; are solved against it (L21 = A21·L11⁻ᵀ), both by rows in the dot-product form
  ;;     L[i][j] = (L[i][j] − Σ_{p∈[k0,j)} L[i][p]·L[j][p]) / L[j][j],  L[i][i] = √(L[i][i] − Σ_{p∈[k0,i)} L[i][p]²)
  ;; (earlier columns already subtracted by the caller's trailing updates). Rows go in fours from k0 (the last
  ;; one to three rows alone): their columns below all four diagonals go two at a time through a 4x2 register
  ;; block ($quad2), the rest (at most five columns and the diagonal) row by row ($row). Every sum has a fixed order that depends on
  ;; k0, kb and the position only, so the result depends on nothing but the operands and the blocking.
  ;; Returns −1, or the first row whose pivot is not positive, with that pivot value stored on the diagonal.
  (func $potf (export "potf") (param $l i32) (param $ld i32) (param $k0 i32) (param $kb i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32) (local $jc i32) (local $jlim i32) (local $col0 i32) (local $kend i32) (local $bad i32)
    (local $r i32) (local $rend i32)
    (local.set $kend (i32.add (local.get $k0) (local.get $kb)))
    (local.set $col0 (i32.add (local.get $l) (i32.shl (local.get $k0) (i32.const 3))))
    (local.set $i (local.get $k0))
    (block $idone (loop $il
      (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $jc (local.get $k0))
      (local.set $rend (i32.add (local.get $i) (i32.const 1)))
      (if (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)) (then
        (local.set $rend (i32.add (local.get $i) (i32.const 4)))
        (local.set $jlim (select (local.get $i) (local.get $kend) (i32.lt_s (local.get $i) (local.get $kend))))
        (local.set $jc (i32.add (local.get $k0) (i32.and (i32.sub (local.get $jlim) (local.get $k0)) (i32.const -2))))
        (local.set $j (local.get $k0))
        (block $jdone (loop $jl
          (br_if $jdone (i32.ge_s (local.get $j) (local.get $jc)))
          (call $quad2 (local.get $col0) (local.get $ld) (local.get $i) (local.get $j) (i32.sub (local.get $j) (local.get $k0)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $jl)))))
      (local.set $r (local.get $i))
      (block $rdone (loop $rl
        (br_if $rdone (i32.ge_s (local.get $r) (local.get $rend)))
        (local.set $bad (call $row (local.get $col0) (local.get $ld) (local.get $k0) (local.get $kend) (local.get $r) (local.get $jc)))
        (if (i32.ge_s (local.get $bad) (i32.const 0)) (then (return (local.get $bad))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (local.set $i (local.get $rend))
      (br $il)))
    (i32.const -1))

  ;; Row i of $potf from column js: columns [js, min(i, kend)) and, in the diagonal block, the pivot.
  ;; col0: address of column k0 of row 0. Returns −1 or i (pivot not positive, stored on the diagonal).
  (func $row (param $col0 i32) (param $ld i32) (param $k0 i32) (param $kend i32) (param $i i32) (param $js i32) (result i32)
    (local $j i32) (local $jend i32) (local $ri i32) (local $rj i32) (local $p i32) (local $d f64)
    (local.set $ri (i32.add (local.get $col0) (i32.mul (local.get $i) (local.get $ld))))
    (local.set $jend (select (local.get $i) (local.get $kend) (i32.lt_s (local.get $i) (local.get $kend))))
    (local.set $j (local.get $js))
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_s (local.get $j) (local.get $jend)))
      (local.set $rj (i32.add (local.get $col0) (i32.mul (local.get $j) (local.get $ld))))
      (local.set $p (i32.shl (i32.sub (local.get $j) (local.get $k0)) (i32.const 3)))
      (f64.store (i32.add (local.get $ri) (local.get $p))
        (f64.div
          (f64.sub (f64.load (i32.add (local.get $ri) (local.get $p)))
                   (call $dot (local.get $ri) (local.get $rj) (i32.sub (local.get $j) (local.get $k0))))
          (f64.load (i32.add (local.get $rj) (local.get $p)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl)))
    (if (i32.lt_s (local.get $i) (local.get $kend)) (then
      (local.set $p (i32.add (local.get $ri) (i32.shl (i32.sub (local.get $i) (local.get $k0)) (i32.const 3))))
      (local.set $d (f64.sub (f64.load (local.get $p))
                             (call $dot (local.get $ri) (local.get $ri) (i32.sub (local.get $i) (local.get $k0)))))
      (if (i32.eqz (f64.gt (local.get $d) (f64.const 0))) (then
        (f64.store (local.get $p) (local.get $d))
        (return (local.get $i))))
      (f64.store (local.get $p) (f64.sqrt (local.get $d)))))
    (i32.const -1))

;; Entries (r, j) and (r, j+1) of $potf for the four rows r = i..i+3 (j+1 < i), len = j − k0 columns done:
  ;; the eight dot products over those columns in one pass (2 terms a step in one f64x2 accumulator each,
  ;; lane 0 + lane 1, then the odd last term), then $fin per row.
  (func $quad2 (param $col0 i32) (param $ld i32) (param $i i32) (param $j i32) (param $len i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $rj i32) (local $rj1 i32) (local $p i32) (local $e2 i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $x v128) (local $y0 v128) (local $y1 v128)
    (local.set $r0 (i32.add (local.get $col0) (i32.mul (local.get $i) (local.get $ld))))
    (local.set $r1 (i32.add (local.get $r0) (local.get $ld)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $ld)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $ld)))
    (local.set $rj (i32.add (local.get $col0) (i32.mul (local.get $j) (local.get $ld))))
    (local.set $rj1 (i32.add (local.get $rj) (local.get $ld)))
    (local.set $e2 (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (if (local.get $e2) (then
      (loop $l2
        (local.set $y0 (v128.load (i32.add (local.get $rj) (local.get $p))))
        (local.set $y1 (v128.load (i32.add (local.get $rj1) (local.get $p))))
        (local.set $x (v128.load (i32.add (local.get $r0) (local.get $p))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load (i32.add (local.get $r1) (local.get $p))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load (i32.add (local.get $r2) (local.get $p))))
        (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load (i32.add (local.get $r3) (local.get $p))))
        (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $l2 (i32.ne (local.get $p) (local.get $e2))))))
    (call $fin (local.get $r0) (local.get $rj) (local.get $rj1) (local.get $len) (local.get $a00) (local.get $a01))
    (call $fin (local.get $r1) (local.get $rj) (local.get $rj1) (local.get $len) (local.get $a10) (local.get $a11))
    (call $fin (local.get $r2) (local.get $rj) (local.get $rj1) (local.get $len) (local.get $a20) (local.get $a21))
    (call $fin (local.get $r3) (local.get $rj) (local.get $rj1) (local.get $len) (local.get $a30) (local.get $a31)))

  ;; Row ri of $quad2: the sums s0 = ri·rj, s1 = ri·rj1 (lanes, then the odd last term), then column j, then
  ;; column j+1 with its last term L[r][j]·L[j+1][j] added last.
  (func $fin (param $ri i32) (param $rj i32) (param $rj1 i32) (param $len i32) (param $a0 v128) (param $a1 v128)
    (local $s0 f64) (local $s1 f64) (local $p i32) (local $v f64) (local $x f64)
    (local.set $s0 (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
    (local.set $s1 (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
    (local.set $p (i32.shl (local.get $len) (i32.const 3)))
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $x (f64.load offset=0 (i32.sub (i32.add (local.get $ri) (local.get $p)) (i32.const 8))))
      (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x) (f64.load (i32.sub (i32.add (local.get $rj) (local.get $p)) (i32.const 8))))))
      (local.set $s1 (f64.add (local.get $s1) (f64.mul (local.get $x) (f64.load (i32.sub (i32.add (local.get $rj1) (local.get $p)) (i32.const 8))))))))
    (local.set $v (f64.div (f64.sub (f64.load (i32.add (local.get $ri) (local.get $p))) (local.get $s0))
                           (f64.load (i32.add (local.get $rj) (local.get $p)))))
    (f64.store (i32.add (local.get $ri) (local.get $p)) (local.get $v))
    (f64.store offset=8 (i32.add (local.get $ri) (local.get $p))
      (f64.div (f64.sub (f64.load offset=8 (i32.add (local.get $ri) (local.get $p)))
                        (f64.add (local.get $s1) (f64.mul (local.get $v) (f64.load (i32.add (local.get $rj1) (local.get $p))))))
               (f64.load offset=8 (i32.add (local.get $rj1) (local.get $p))))))

  ;; Σ_{p<len} x[p]·y[p] in a fixed order: four lanes (two f64x2 accumulators, 4 terms a step), combined as
  ;; (a0+a1) lane 0 + lane 1, then the remaining terms one by one. Mul then add, no FMA.
  (func $dot (param $x i32) (param $y i32) (param $len i32) (result f64)
    (local $a0 v128) (local $a1 v128) (local $s f64) (local $end i32) (local $e4 i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $e4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (if (i32.ne (local.get $x) (local.get $e4)) (then
      (loop $l4
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y)))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (br_if $l4 (i32.ne (local.get $x) (local.get $e4))))
      (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
      (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))))
    (block $done (loop $l1
      (br_if $done (i32.eq (local.get $x) (local.get $end)))
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (br $l1)))
    (local.get $s))
)
