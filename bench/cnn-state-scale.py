#!/usr/bin/env python3
"""Replays a CNN encoder's exported weights (s2s export --format pytorch) in PyTorch on random source ids and prints
the state standard deviation after each block: how bench/RESULTS.md ("Attention and encoder ablation") found the
unnormalised encoder's blow-up (1.0 → 738 over six blocks). Applies encoder.norms.* when the model has them.
usage: /usr/bin/python3 bench/cnn-state-scale.py EXPORT_DIR/model.pt"""
import sys, torch, torch.nn.functional as F
sd=torch.load(sys.argv[1])
torch.manual_seed(0)
src=torch.randint(4,sd['encoder.embed.weight'].shape[0],(3,40))
x=sd['encoder.embed.weight'][src]+sd['encoder.positions.weight'][:40]
x=F.linear(x,sd['encoder.toHidden.weight'],sd['encoder.toHidden.bias'])
out=[]
for i in range(100):
  if f'encoder.convs.{i}.weight' not in sd: break
  y=F.conv1d(x.transpose(1,2),sd[f'encoder.convs.{i}.weight'],sd[f'encoder.convs.{i}.bias'],padding=sd[f'encoder.convs.{i}.weight'].shape[2]//2)
  y=F.glu(y,1).transpose(1,2)
  x=(x+y)*0.5**0.5
  if f'encoder.norms.{i}.weight' in sd: x=F.layer_norm(x,x.shape[-1:],sd[f'encoder.norms.{i}.weight'],sd[f'encoder.norms.{i}.bias'])
  out.append('%.1f'%x.std().item())
print('layer stds', ' '.join(out))
