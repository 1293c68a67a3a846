// SPDX-License-Identifier: MIT
/* The emulated-device bus (hyp/vdev.h). */
#include "vdev.h"
#include "vdev/vns16550.h"
#include "vdev/vpl011.h"
#include "vm.h"
#include "vm_config.h"

int vdev_add(struct vdev_bus *bus, u64 base, u64 size, vdev_read_fn *read, vdev_write_fn *write,
	     void *priv)
{
	if (!size || base + size < base)
		return -EINVAL;
	for (u32 i = 0; i < bus->nr; i++)
		if (base < bus->devs[i].base + bus->devs[i].size &&
		    bus->devs[i].base < base + size)
			return -EBUSY;
	if (bus->nr == VM_MAX_VDEVS)
		return -ENOMEM;
	bus->devs[bus->nr++] = (struct vdev){ .base = base, .size = size, .read = read,
					      .write = write, .priv = priv };
	return 0;
}

int vdev_console_add(struct vm *vm, u32 kind, u64 base)
{
	switch (kind) {
	case VM_CONSOLE_NONE:
		return 0;
	case VM_CONSOLE_PL011:
		return vpl011_add(vm, base);
	case VM_CONSOLE_NS16550:
		return vns16550_add(vm, &vm->mmio, base, VNS16550_SIZE);
	case VM_CONSOLE_NS16550_PORT:
		return vns16550_add(vm, &vm->port, base, VNS16550_REGS);
	default:
		return -EINVAL;
	}
}

void vdev_console_reset(struct vm *vm)
{
	vpl011_reset(vm);
	vns16550_reset(vm);
}
