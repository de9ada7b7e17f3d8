"""Tests of files and PyTorch interop: save / load, safetensors, torch.save files."""
